import { formatWhen } from "../../activities/local-time.js";
import { html, type SafeHtml } from "../html.js";
import type { PanelLanguage } from "../panel-kit.js";
import type { DeliverySummary } from "../../storage/delivery-summary.js";
import type { Role } from "../staff-auth.js";
import { noticeItem, type NoticeItemView } from "./notices-page.js";
import { savedNotice, type PanelText } from "./page-parts.js";

/** Requests (handoffs) by state: waiting to be accepted, of those past their accept-by time, and accepted or in contact. */
export type RequestCounts = { waiting: number; overdue: number; open: number };

/** A broadcast that is scheduled or sending, as the admin's start page lists it. */
export type RunningBroadcastRow = { id: string; title: string | null; status: string; scheduledFor: Date };

/** One of a key figure's activities with how far its broadcasts got. */
export type KeyFigureActivityRow = {
  id: string;
  /** The Dutch title; null when there is none. */
  title: string | null;
  startsAt: Date;
  endsAt: Date | null;
  status: string;
  rejectionReason: string | null;
  /** A broadcast scheduled or sending, if any. */
  running: { id: string; status: string } | null;
  /** Whether any broadcast of it finished. */
  sent: boolean;
  /** Residents the finished broadcasts reached (accepted, delivered or read). */
  reached: number;
};

/** What the start page shows for the user's role. */
export type HomeRoleView =
  | {
      role: "admin";
      pendingActivities: number;
      requests: RequestCounts;
      /** Active professionals with a panel account that is not disabled: none means nobody can be matched. */
      matchableProfessionals: number;
      exampleProfessionals: number;
      broadcasts: readonly RunningBroadcastRow[];
      /** How the sends of the last seven days ended, sends in doubt and how they were resolved among them. */
      delivery: DeliverySummary;
    }
  | { role: "coordinator"; requests: RequestCounts }
  | { role: "professional"; linked: false }
  | { role: "professional"; linked: true; overdue: number; fresh: number; unreadMessages: number }
  /** `activities` is null for a key figure without an organisation: then there is nothing to show. */
  | { role: "keyfigure"; activities: readonly KeyFigureActivityRow[] | null };

/** The start page's view: who this is, the unread notices, and the cards for the role. */
export type HomeView = {
  language: PanelLanguage;
  saved: string | undefined;
  role: Role;
  organisation: { name: string; demo: boolean } | null;
  /** Just signed up (`?saved=welcome`): a first word for the role. */
  welcome: boolean;
  /** Up to five unread notices. */
  notices: readonly NoticeItemView[];
  cards: HomeRoleView;
};

const card = (id: string, title: string, body: SafeHtml | string) => html`<section class="card" aria-labelledby="${id}"><h2 id="${id}">${title}</h2>${body}</section>`;

function count(t: PanelText, n: number, key: string, link: string, urgent = false): SafeHtml {
  return html`<li${urgent && n > 0 ? html` class="urgent"` : ""}><a href="${link}"><strong data-count="${key}">${String(n)}</strong> ${t(`home_${key}`, { count: String(n) })}</a></li>`;
}

function runningBroadcasts(v: HomeView, running: readonly RunningBroadcastRow[], t: PanelText): SafeHtml | "" {
  if (running.length === 0) return "";
  return card(
    "home-broadcasts",
    t("home_broadcasts"),
    html`<ul>${running.map((b) => html`<li><a href="/admin/broadcasts/${b.id}">${b.title ?? "—"}</a> — ${t(`bc_status_${b.status}`)} (${formatWhen(b.scheduledFor, null, v.language)})</li>`)}</ul>`,
  );
}

/**
 * Sends of the last seven days: what reached residents, what was refused, and the sends whose outcome was
 * unknown (in doubt) with how each was resolved, so "never resent without evidence" can be checked.
 */
function deliveryCard(d: DeliverySummary, t: PanelText): SafeHtml {
  const row = (key: keyof DeliverySummary, urgent = false) =>
    html`<dt>${t(`home_delivery_${key}`)}</dt><dd data-count="delivery-${key}">${urgent && d[key] > 0 ? html`<span class="status status-overdue">${String(d[key])}</span>` : String(d[key])}</dd>`;
  return card(
    "home-delivery",
    t("home_delivery"),
    html`<dl class="facts">${row("sent")}${row("refused")}${row("waiting")}${row("waitingForProof")}${row("provedByStatus")}${row("sentOnceMore")}${row("inDoubtForGood", true)}</dl>
    <p><small>${t("home_delivery_note")}</small></p>`,
  );
}

function roleCards(v: HomeView, t: PanelText): SafeHtml[] {
  const c = v.cards;
  switch (c.role) {
    case "admin": {
      const cards: SafeHtml[] = [];
      if (c.matchableProfessionals === 0) {
        cards.push(html`<div role="alert" class="error"><p>${t("home_no_professionals")}</p><p><a href="/admin/professionals">${t("home_link_professionals")}</a>${c.exampleProfessionals > 0 ? html` · <small>${t("home_examples", { count: String(c.exampleProfessionals) })}</small>` : ""}</p></div>`);
      }
      cards.push(
        card(
          "home-attention",
          t("home_attention"),
          html`<ul class="home-counts">
          ${count(t, c.pendingActivities, "activities_pending", "/admin/activities?status=pending", true)}
          ${count(t, c.requests.overdue, "requests_overdue", "/admin/coordination", true)}
          ${count(t, c.requests.waiting, "requests_waiting", "/admin/coordination")}
          ${count(t, c.requests.open, "requests_open", "/admin/handoffs")}
        </ul>`,
        ),
      );
      const broadcasts = runningBroadcasts(v, c.broadcasts, t);
      if (broadcasts) cards.push(broadcasts);
      cards.push(deliveryCard(c.delivery, t));
      return cards;
    }
    case "coordinator":
      return [
        card(
          "home-attention",
          t("home_attention"),
          html`<ul class="home-counts">
          ${count(t, c.requests.overdue, "requests_overdue", "/admin/coordination", true)}
          ${count(t, c.requests.waiting, "requests_waiting", "/admin/coordination")}
          ${count(t, c.requests.open, "requests_open", "/admin/coordination")}
        </ul>`,
        ),
      ];
    case "professional":
      if (!c.linked) return [html`<p role="status" class="notice">${t("ho_not_linked")}</p>`];
      return [
        card(
          "home-attention",
          t("home_attention"),
          html`<ul class="home-counts">
          ${count(t, c.overdue, "requests_overdue_mine", "/admin/handoffs", true)}
          ${count(t, c.fresh, "requests_new_mine", "/admin/handoffs")}
          ${count(t, c.unreadMessages, "messages_unread", "/admin/handoffs", true)}
        </ul>`,
        ),
      ];
    case "keyfigure": {
      if (!c.activities) return [];
      const line = (a: KeyFigureActivityRow) =>
        html`<tr><td><a href="/admin/activities/${a.id}">${a.title ?? "—"}</a><br><small>${formatWhen(a.startsAt, a.endsAt, v.language)}</small></td>
        <td><span class="status status-${a.status}">${t(`status_${a.status}`)}</span>${a.status === "rejected" && a.rejectionReason ? html`<br><small>${t("rejection_reason")}: ${a.rejectionReason}</small>` : ""}</td>
        <td>${a.running ? html`<a href="/admin/broadcasts/${a.running.id}">${t(`bc_status_${a.running.status}`)}</a>` : a.sent ? t("home_reach", { count: String(a.reached) }) : a.status === "approved" ? html`<a href="/admin/activities/${a.id}/broadcast">${t("home_not_sent")}</a>` : "—"}</td></tr>`;
      return [
        card(
          "home-activities",
          t("home_my_activities"),
          c.activities.length === 0
            ? html`<p>${t("home_no_activities")} <a href="/admin/activities/new">${t("activity_new")}</a></p>`
            : html`<table><caption class="visually-hidden">${t("home_my_activities")}</caption><thead><tr><th scope="col">${t("col_title")}</th><th scope="col">${t("col_status")}</th><th scope="col">${t("home_col_reach")}</th></tr></thead><tbody>${c.activities.map(line)}</tbody></table>`,
        ),
      ];
    }
  }
}

/**
 * /admin: what needs this person's attention, by role. Everyone: their role and organisation and the unread
 * notices. Admins: activities waiting for approval, requests waiting or overdue, broadcasts running, and a
 * warning while no professional can be matched. Coordinators: their organisation's requests. Professionals:
 * new and overdue requests, unread messages. Key figures: their organisation's activities with status and reach.
 */
export function homePage(v: HomeView, t: PanelText): SafeHtml {
  return html`${savedNotice(v.saved)}
      <p>${t(`role_${v.role}`)}${v.organisation ? html` · ${v.organisation.name}${v.organisation.demo ? html` <span class="status status-pending">DEMO</span>` : ""}` : v.role === "coordinator" ? html` · ${t("co_wijkregie")}` : ""}</p>
      ${v.welcome ? html`<p>${t(`home_first_${v.role}`)}</p>` : ""}
      ${v.notices.length > 0 ? card("home-notices", t("home_notices"), html`<ul class="notices">${v.notices.map((n) => noticeItem(v.language, n, t))}</ul><p><a href="/admin/notices">${t("home_all_notices")}</a></p>`) : ""}
      ${roleCards(v, t)}`;
}
