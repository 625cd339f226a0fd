/**
 * A small reader of iCalendar text (RFC 5545), strict where a sloppy writer would slip:
 * CRLF line ends (the last line's too), content lines of at most 75 octets, unfolding of a
 * CRLF followed by one space or tab (§3.1), and BEGIN/END nesting.
 */
export interface IcsProperty {
  name: string;
  params: string;
  value: string;
}

export interface IcsComponent {
  name: string;
  properties: IcsProperty[];
  components: IcsComponent[];
}

export function unfoldIcs(text: string): string[] {
  if (!text.endsWith("\r\n")) throw new Error("the last line does not end with CRLF");
  const physical = text.slice(0, -2).split("\r\n");
  for (const line of physical) {
    if (line.includes("\n") || line.includes("\r")) throw new Error(`a bare CR or LF: ${line}`);
    const octets = Buffer.byteLength(line, "utf8");
    if (octets > 75) throw new Error(`a line of ${octets} octets: ${line}`);
    if (Buffer.from(line, "utf8").toString("utf8") !== line || line.includes("\uFFFD"))
      throw new Error(`a character split across lines: ${line}`);
  }
  const logical: string[] = [];
  for (const line of physical) {
    if ((line.startsWith(" ") || line.startsWith("\t")) && logical.length > 0) {
      logical[logical.length - 1] += line.slice(1);
    } else {
      logical.push(line);
    }
  }
  return logical;
}

/** Name, parameters and value of one unfolded line (the first unquoted ":" separates). */
export function parseLine(line: string): IcsProperty {
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (c === '"') quoted = !quoted;
    if (c === ":" && !quoted) {
      const head = line.slice(0, i);
      const semi = head.indexOf(";");
      return {
        name: (semi < 0 ? head : head.slice(0, semi)).toUpperCase(),
        params: semi < 0 ? "" : head.slice(semi + 1),
        value: line.slice(i + 1),
      };
    }
  }
  throw new Error(`no ":" in ${line}`);
}

export function parseIcs(text: string): IcsComponent {
  const stack: IcsComponent[] = [{ name: "ROOT", properties: [], components: [] }];
  for (const line of unfoldIcs(text)) {
    const p = parseLine(line);
    const top = stack[stack.length - 1] as IcsComponent;
    if (p.name === "BEGIN") {
      const child: IcsComponent = { name: p.value, properties: [], components: [] };
      top.components.push(child);
      stack.push(child);
    } else if (p.name === "END") {
      if (top.name !== p.value) throw new Error(`END:${p.value} closes ${top.name}`);
      stack.pop();
    } else {
      top.properties.push(p);
    }
  }
  if (stack.length !== 1) throw new Error("unclosed component");
  const root = stack[0] as IcsComponent;
  if (root.components.length !== 1 || root.components[0]?.name !== "VCALENDAR")
    throw new Error("not one VCALENDAR");
  return root.components[0];
}

/** The one value of a property (throws when it is missing or repeated). */
export function prop(component: IcsComponent, name: string): string {
  const found = component.properties.filter((p) => p.name === name);
  if (found.length !== 1) throw new Error(`${name} appears ${found.length} times`);
  return (found[0] as IcsProperty).value;
}

/** A TEXT value unescaped (§3.3.11). */
export function unescapeText(value: string): string {
  return value.replace(/\\([\\;,nN])/g, (_m, c: string) => (c === "n" || c === "N" ? "\n" : c));
}
