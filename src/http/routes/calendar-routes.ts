import type { FastifyInstance, FastifyReply, FastifyRequest } from "fastify";
import type { CalendarFile, CalendarService } from "../../calendar/calendar-service.ts";
import type { CalendarSite } from "../../calendar/space-calendar.ts";
import { AmphiError } from "../../errors/error-registry.ts";
import { spaceParamsSchema } from "../api-schemas.ts";

/**
 * "Add to calendar": `GET /spaces/:id.ics` (one VEVENT) and `GET /@:handle/calendar.ics` (a
 * host's feed to subscribe to). Files, not API: hidden from the OpenAPI document like the
 * media and recording files, and registered as routes so the web app's fallback (which
 * answers a JSON 404 for names with an extension) never sees them. Errors are JSON.
 */
export async function calendarRoutes(
  app: FastifyInstance,
  calendar: CalendarService,
  options: { publicUrl: string | undefined },
): Promise<void> {
  const siteOf = (request: FastifyRequest): CalendarSite => ({
    baseUrl: (options.publicUrl ?? `${request.protocol}://${request.host}`).replace(/\/+$/, ""),
  });

  app.get("/spaces/:id.ics", { schema: { hide: true } }, async (request, reply) => {
    const parsed = spaceParamsSchema.safeParse(request.params);
    if (!parsed.success) throw new AmphiError("AMPHI_SPACE_NOT_FOUND");
    const file = await calendar.space(parsed.data.id, siteOf(request));
    return sendCalendar(reply, file, "attachment");
  });

  app.get("/@:handle/calendar.ics", { schema: { hide: true } }, async (request, reply) => {
    const { handle } = request.params as { handle: string };
    const file = await calendar.host(handle, siteOf(request));
    return sendCalendar(reply, file, "inline");
  });
}

function sendCalendar(
  reply: FastifyReply,
  file: CalendarFile,
  disposition: "attachment" | "inline",
): FastifyReply {
  return reply
    .type("text/calendar; charset=utf-8")
    .header("content-disposition", `${disposition}; filename="${file.fileName}"`)
    .header("cache-control", "public, max-age=60")
    .send(file.body);
}
