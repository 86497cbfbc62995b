import express, { type Router } from "express";
import { z } from "zod";
import { auditActionSchema, csvField, type AuditLog } from "./audit-log.js";
import type { PanelKit } from "./panel-kit.js";
import { auditPage } from "./pages/audit-page.js";

/**
 * The audit log for admins: every staff view of a case, re-link, reassignment, role change, 2FA reset,
 * export and broadcast, newest first, filterable by action, and as a CSV download (itself logged).
 */
export function auditRoutes(opts: { kit: PanelKit; audit: AuditLog }): Router {
  const { kit, audit } = opts;
  const { tr, textFor, page, send, requireRole } = kit;
  const router = express.Router();
  const adminOnly = requireRole("admin");

  router.get("/admin/audit", adminOnly, async (req, res) => {
    const pageNo = z.coerce.number().int().min(0).max(100_000).catch(0).parse(req.query.page);
    const filter = auditActionSchema.optional().catch(undefined).parse(req.query.action);
    const { entries, more } = await audit.page(pageNo, filter);
    send(res, page(req, tr(req, "nav_audit"), auditPage({ language: kit.lang(req), page: pageNo, more, filter, entries }, textFor(req))));
  });

  router.get("/admin/audit.csv", adminOnly, async (req, res) => {
    const s = req.staff!;
    await audit.record({ userId: s.userId, displayName: s.displayName, email: s.email }, "export", { type: "audit" }, "audit log exported as CSV");
    res.status(200).type("text/csv; charset=utf-8").set("content-disposition", `attachment; filename="naast-audit-${new Date().toISOString().slice(0, 10)}.csv"`);
    res.write("id,at,who,action,subject_type,subject_id,detail\n");
    for await (const e of audit.all()) {
      res.write(`${[e.id, e.at.toISOString(), e.actorLabel, e.action, e.subjectType, e.subjectId ?? "", e.detail].map(csvField).join(",")}\n`);
    }
    res.end();
  });

  return router;
}
