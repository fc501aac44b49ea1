import { useEffect, useState } from "react";
import { runAction } from "./actions";
import { ApiError, friendly, request } from "./api";
import {
  ClientCardDocument,
  EmailHolderDocument,
  PreviewActionDocument,
  UpdateClientEmailDocument,
  type ClientCardQuery,
  type ClientStatus,
  type EmailHolderQuery,
  type LifecycleAction,
  type PreviewActionQuery,
} from "./generated/graphql";
import { ACTION_LABELS, day, statusLabel } from "./labels";

type Client = NonNullable<ClientCardQuery["client"]>;
type Preview = PreviewActionQuery["previewAction"];

/** What the action will do, in sentences, from `previewAction`. */
function Effects({ preview }: { preview: Preview }) {
  const lines: string[] = [];
  if (preview.purged) lines.push("The client is still in its loading phase: it will be removed entirely.");
  else if (preview.toStatus) lines.push(`The client becomes ${statusLabel(preview.toStatus).toLowerCase()}.`);
  else lines.push("The client will be deleted for good; its history is kept without personal data.");
  if (preview.subscriptionEnds) lines.push(`The running subscription ends (it was paid until ${day(preview.subscriptionEnds.periodEnd)}).`);
  if (preview.subscriptionStarts) {
    const s = preview.subscriptionStarts;
    lines.push(
      s.charge === "INVOICED"
        ? `A new 12-month subscription starts and is invoiced (until ${day(s.periodEnd)}).`
        : `The subscription resumes at no charge until ${day(s.periodEnd)}.`,
    );
  }
  for (const w of preview.workflowsArchived) lines.push(`Workflow "${w.name}" will be archived.`);
  for (const w of preview.workflowsCancelled) lines.push(`Workflow "${w.name}" will be cancelled.`);
  for (const n of preview.notifications) lines.push(`An e-mail (${n.kind.toLowerCase().replace(/_/g, " ")}) goes to ${n.recipient}.`);
  if (preview.emailAddressesFreed.length) lines.push(`These addresses become free: ${preview.emailAddressesFreed.join(", ")}.`);
  if (preview.portalAccessRevoked) lines.push("The client's people lose access to the portal.");
  return (
    <ul data-testid="effects">
      {lines.map((l) => (
        <li key={l}>{l}</li>
      ))}
    </ul>
  );
}

function ConfirmDialog({
  client,
  action,
  onClose,
  onDone,
}: {
  client: Client;
  action: LifecycleAction;
  onClose: () => void;
  onDone: (gone: boolean) => void;
}) {
  const [preview, setPreview] = useState<Preview | null>(null);
  const [confirmName, setConfirmName] = useState("");
  const [at, setAt] = useState("");
  const [owner, setOwner] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const label = ACTION_LABELS[action] ?? action;

  useEffect(() => {
    request(PreviewActionDocument, { input: { clientId: client.id, action } })
      .then((d) => setPreview(d.previewAction))
      .catch((e) => setError(friendly(e)));
  }, [client.id, action]);

  const missing = preview?.missingArguments ?? [];
  const confirm = async () => {
    if (!preview) return;
    setBusy(true);
    setError(null);
    try {
      await runAction(
        action,
        { clientId: client.id, expectedVersion: preview.client.version },
        {
          confirmName,
          at: at ? new Date(at).toISOString() : undefined,
          accountOwnerContactId: owner || undefined,
        },
      );
      onDone(action === "DELETE" || preview.purged);
    } catch (e) {
      setError(friendly(e));
      if (e instanceof ApiError && e.code === "VERSION_CONFLICT") onDone(false);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="dialog-backdrop">
      <div role="dialog" aria-modal="true" aria-label={`${label} ${client.name}`}>
        <h2>
          {label} {client.name}?
        </h2>
        {!preview && !error && <p className="muted">Checking what this will do…</p>}
        {preview && !preview.allowed && (
          <div className="error" role="alert">
            {preview.reason}
          </div>
        )}
        {preview?.allowed && (
          <>
            <p>This is what will happen:</p>
            <Effects preview={preview} />
            {missing.includes("confirmName") && (
              <label>
                Type the client's name (<strong>{client.name}</strong>) to confirm
                <input aria-label="Client name" value={confirmName} onChange={(e) => setConfirmName(e.target.value)} />
              </label>
            )}
            {missing.includes("at") && (
              <label>
                Activate on
                <input aria-label="Activation date" type="datetime-local" value={at} onChange={(e) => setAt(e.target.value)} />
              </label>
            )}
            {missing.includes("accountOwnerContactId") && (
              <label>
                Who takes the account over
                <select aria-label="Account owner" value={owner} onChange={(e) => setOwner(e.target.value)}>
                  <option value="">Choose a contact</option>
                  {client.contacts
                    .filter((c) => c.status === "ACTIVE")
                    .map((c) => (
                      <option key={c.id} value={c.id}>
                        {c.name}
                      </option>
                    ))}
                </select>
              </label>
            )}
          </>
        )}
        {error && (
          <div className="error" role="alert">
            {error}
          </div>
        )}
        <div className="actions">
          <button onClick={onClose}>{preview?.allowed ? "Cancel" : "Close"}</button>
          {preview?.allowed && (
            <button
              className={action === "DELETE" || action === "DISCARD" ? "danger" : "primary"}
              disabled={busy || (missing.includes("confirmName") && !confirmName)}
              onClick={confirm}
            >
              {label}
            </button>
          )}
        </div>
      </div>
    </div>
  );
}

function EmailEditor({
  client,
  onChanged,
  onOpen,
}: {
  client: Client;
  onChanged: () => void;
  onOpen: (id: string, status: ClientStatus) => void;
}) {
  const [email, setEmail] = useState(client.email ?? "");
  const [error, setError] = useState<string | null>(null);
  const [holder, setHolder] = useState<EmailHolderQuery["emailHolder"] | null>(null);
  useEffect(() => setEmail(client.email ?? ""), [client.email]);
  const save = async () => {
    setError(null);
    setHolder(null);
    try {
      await request(UpdateClientEmailDocument, {
        input: { clientId: client.id, email, expectedVersion: client.version },
      });
      onChanged();
    } catch (e) {
      setError(friendly(e));
      if (e instanceof ApiError && e.code === "EMAIL_IN_USE") {
        const found = await request(EmailHolderDocument, { email }).catch(() => null);
        setHolder(found?.emailHolder ?? null);
      }
    }
  };
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <label>
        E-mail{" "}
        <input aria-label="E-mail" value={email} onChange={(e) => setEmail(e.target.value)} />
      </label>{" "}
      <button type="submit">Save</button>
      {error && (
        <div className="error" role="alert">
          {error}{" "}
          {holder?.kind === "CLIENT" && (
            <a
              href="#"
              onClick={(e) => {
                e.preventDefault();
                onOpen(holder.id, holder.status as ClientStatus);
              }}
            >
              Open {holder.name} ({statusLabel(holder.status as ClientStatus).toLowerCase()})
            </a>
          )}
          {holder && holder.kind !== "CLIENT" && (
            <span>
              It belongs to {holder.kind === "USER" ? "staff member" : "contact"} {holder.name}.
            </span>
          )}
        </div>
      )}
    </form>
  );
}

export function ClientCard({
  id,
  version,
  onChanged,
  onGone,
  onOpen,
}: {
  id: string;
  version: number;
  onChanged: () => void;
  onGone: () => void;
  onOpen: (id: string, status: ClientStatus) => void;
}) {
  const [client, setClient] = useState<Client | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [action, setAction] = useState<LifecycleAction | null>(null);

  useEffect(() => {
    request(ClientCardDocument, { id })
      .then((d) => {
        setClient(d.client);
        setError(d.client ? null : "This client no longer exists.");
      })
      .catch((e) => setError(friendly(e)));
  }, [id, version]);

  if (error) return <div className="error">{error}</div>;
  if (!client) return <p className="muted">Loading…</p>;
  return (
    <article aria-label={client.name}>
      <h2>{client.name}</h2>
      <p>
        <strong data-testid="card-status">{statusLabel(client.status)}</strong> — {client.statusExplanation}
      </p>
      <EmailEditor client={client} onChanged={onChanged} onOpen={onOpen} />
      <div className="menu" role="toolbar" aria-label="Actions">
        {client.availableActions.map((a) => (
          <button
            key={a.action}
            disabled={!a.allowed}
            title={a.allowed ? undefined : a.reason ?? undefined}
            onClick={() => setAction(a.action)}
          >
            {ACTION_LABELS[a.action] ?? a.action}
          </button>
        ))}
      </div>
      <h3>Contacts</h3>
      <ul>
        {client.contacts.map((c) => (
          <li key={c.id}>
            {c.name} <span className="muted">{c.email} · {c.status.toLowerCase()}</span>
          </li>
        ))}
      </ul>
      <h3>Work</h3>
      <ul>
        {client.workflows.map((w) => (
          <li key={w.id}>
            {w.name} <span className="muted">{w.status.toLowerCase()}</span>
          </li>
        ))}
      </ul>
      <h3>History</h3>
      <table className="history">
        <tbody>
          {client.history.nodes.map((e) => (
            <tr key={e.id}>
              <td>{day(e.at)}</td>
              <td>{ACTION_LABELS[e.action] ?? e.action.toLowerCase()}</td>
              <td>{e.toStatus ? statusLabel(e.toStatus) : ""}</td>
              <td className="muted">{e.actor?.name ?? "scheduler"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {action && (
        <ConfirmDialog
          client={client}
          action={action}
          onClose={() => setAction(null)}
          onDone={(gone) => {
            setAction(null);
            if (gone) onGone();
            else onChanged();
          }}
        />
      )}
    </article>
  );
}
