import type { Db } from "../database.ts";

export interface AccountRecord {
  id: string;
  handle: string;
  displayName: string;
  bio: string;
  createdAt: Date;
}

export interface AccountWithPassword extends AccountRecord {
  passwordHash: string;
}

export interface NewAccount {
  id: string;
  handle: string;
  displayName: string;
  passwordHash: string;
}

const columns = ["id", "handle", "display_name", "bio", "created_at"] as const;

export function toAccountRecord(row: {
  id: string;
  handle: string;
  display_name: string;
  bio: string;
  created_at: Date;
}): AccountRecord {
  return {
    id: row.id,
    handle: row.handle,
    displayName: row.display_name,
    bio: row.bio,
    createdAt: new Date(row.created_at),
  };
}

export class AccountsRepository {
  constructor(private readonly db: Db) {}

  /** Creates the account, or returns null when the handle is taken. */
  async create(account: NewAccount): Promise<AccountRecord | null> {
    const row = await this.db
      .insertInto("accounts")
      .values({
        id: account.id,
        handle: account.handle,
        display_name: account.displayName,
        password_hash: account.passwordHash,
      })
      .onConflict((oc) => oc.column("handle").doNothing())
      .returning(columns)
      .executeTakeFirst();
    return row ? toAccountRecord(row) : null;
  }

  async findById(id: string): Promise<AccountRecord | null> {
    const row = await this.db
      .selectFrom("accounts")
      .select(columns)
      .where("id", "=", id)
      .executeTakeFirst();
    return row ? toAccountRecord(row) : null;
  }

  async findByHandle(handle: string): Promise<AccountRecord | null> {
    const row = await this.db
      .selectFrom("accounts")
      .select(columns)
      .where("handle", "=", handle)
      .executeTakeFirst();
    return row ? toAccountRecord(row) : null;
  }

  async findManyByIds(ids: readonly string[]): Promise<AccountRecord[]> {
    if (ids.length === 0) return [];
    const rows = await this.db
      .selectFrom("accounts")
      .select(columns)
      .where("id", "in", [...ids])
      .execute();
    return rows.map(toAccountRecord);
  }

  async findWithPassword(handle: string): Promise<AccountWithPassword | null> {
    const row = await this.db
      .selectFrom("accounts")
      .select([...columns, "password_hash"])
      .where("handle", "=", handle)
      .executeTakeFirst();
    return row ? { ...toAccountRecord(row), passwordHash: row.password_hash } : null;
  }

  async updateProfile(
    id: string,
    patch: { displayName?: string; bio?: string },
  ): Promise<AccountRecord | null> {
    const values: { display_name?: string; bio?: string } = {};
    if (patch.displayName !== undefined) values.display_name = patch.displayName;
    if (patch.bio !== undefined) values.bio = patch.bio;
    if (Object.keys(values).length === 0) return this.findById(id);
    const row = await this.db
      .updateTable("accounts")
      .set(values)
      .where("id", "=", id)
      .returning(columns)
      .executeTakeFirst();
    return row ? toAccountRecord(row) : null;
  }

  /** The password hash of an account, by id (changing a password checks the current one). */
  async passwordHashOf(id: string): Promise<string | null> {
    const row = await this.db
      .selectFrom("accounts")
      .select("password_hash")
      .where("id", "=", id)
      .executeTakeFirst();
    return row?.password_hash ?? null;
  }

  async setPasswordHash(id: string, passwordHash: string): Promise<void> {
    await this.db
      .updateTable("accounts")
      .set({ password_hash: passwordHash })
      .where("id", "=", id)
      .execute();
  }
}
