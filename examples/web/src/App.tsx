import { useCallback, useEffect, useState } from "react";
import { friendly, request, signIn, signOut, token } from "./api";
import { ClientCard } from "./ClientCard";
import {
  ClientListDocument,
  MeDocument,
  StatusCountsDocument,
  type ClientListQuery,
  type ClientStatus,
  type MeQuery,
} from "./generated/graphql";
import { STATUSES } from "./labels";

const PAGE = 10;

function SignIn({ onDone }: { onDone: () => void }) {
  const [value, setValue] = useState("");
  return (
    <main style={{ display: "block", maxWidth: "36rem", margin: "3rem auto" }}>
      <section className="panel">
        <h1>Sign in</h1>
        <p className="muted">
          Paste a token: the development server prints one per role when it starts
          (<code>cargo run --release</code>).
        </p>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            signIn(value);
            onDone();
          }}
        >
          <label>
            Token
            <input aria-label="Token" value={value} onChange={(e) => setValue(e.target.value)} style={{ width: "100%" }} />
          </label>
          <p>
            <button className="primary" type="submit" disabled={!value.trim()}>
              Sign in
            </button>
          </p>
        </form>
      </section>
    </main>
  );
}

export function App() {
  const [signedIn, setSignedIn] = useState(() => token() !== null);
  const [me, setMe] = useState<MeQuery["me"] | null>(null);
  const [counts, setCounts] = useState<Partial<Record<ClientStatus, number>>>({});
  const [status, setStatus] = useState<ClientStatus>("ACTIVE");
  const [search, setSearch] = useState("");
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const [page, setPage] = useState<ClientListQuery["clients"] | null>(null);
  const [selected, setSelected] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const refresh = useCallback(() => setVersion((v) => v + 1), []);
  const after = cursors[cursors.length - 1];

  useEffect(() => {
    if (!signedIn) return;
    request(MeDocument, {})
      .then((d) => setMe(d.me))
      .catch((e) => {
        setError(friendly(e));
        signOut();
        setSignedIn(false);
      });
  }, [signedIn]);

  useEffect(() => {
    if (!signedIn) return;
    request(StatusCountsDocument, {})
      .then((d) => setCounts(Object.fromEntries(d.clientStatusCounts.map((c) => [c.status, c.count]))))
      .catch((e) => setError(friendly(e)));
  }, [signedIn, version]);

  useEffect(() => {
    if (!signedIn) return;
    request(ClientListDocument, { status: [status], search: search || null, first: PAGE, after })
      .then((d) => setPage(d.clients))
      .catch((e) => setError(friendly(e)));
  }, [signedIn, status, search, after, version]);

  if (!signedIn) {
    return <SignIn onDone={() => setSignedIn(true)} />;
  }

  const openTab = (s: ClientStatus) => {
    if (s === status && cursors.length === 1) return;
    setStatus(s);
    setCursors([null]);
    setPage(null);
  };

  return (
    <>
      <header>
        <strong>Clientele</strong>
        <span>
          {me ? `${me.name} (${me.role})` : ""}{" "}
          <button
            onClick={() => {
              signOut();
              setSignedIn(false);
            }}
          >
            Sign out
          </button>
        </span>
      </header>
      <nav className="tabs" role="tablist" aria-label="Client statuses">
        {STATUSES.map(({ status: s, label }) => (
          <button key={s} role="tab" aria-selected={s === status} onClick={() => openTab(s)}>
            {label}
            <span className="count" data-testid={`count-${s}`}>
              {counts[s] ?? 0}
            </span>
          </button>
        ))}
      </nav>
      {error && (
        <div className="error" role="alert" style={{ margin: "0.5rem 1.5rem" }}>
          {error} <button onClick={() => setError(null)}>Dismiss</button>
        </div>
      )}
      <main>
        <section className="panel" aria-label="Client list">
          <input
            type="search"
            aria-label="Search clients"
            placeholder="Search by name or e-mail"
            value={search}
            onChange={(e) => {
              setSearch(e.target.value);
              setCursors([null]);
            }}
            style={{ width: "100%", padding: "0.4rem", boxSizing: "border-box" }}
          />
          <p className="muted" data-testid="list-total">
            {page ? `${page.totalCount} clients` : "Loading…"}
          </p>
          <ul className="list">
            {page?.nodes.map((c) => (
              <li key={c.id}>
                <button aria-current={c.id === selected} onClick={() => setSelected(c.id)}>
                  {c.name}
                  <br />
                  <span className="muted">{c.email ?? "no e-mail"}</span>
                </button>
              </li>
            ))}
          </ul>
          <div className="actions">
            <button disabled={cursors.length < 2} onClick={() => setCursors((c) => c.slice(0, -1))}>
              Previous
            </button>
            <button
              disabled={!page?.pageInfo.hasNextPage}
              onClick={() => page?.pageInfo.endCursor && setCursors((c) => [...c, page.pageInfo.endCursor])}
            >
              Next
            </button>
          </div>
        </section>
        <section className="panel" aria-label="Client card">
          {selected ? (
            <ClientCard
              id={selected}
              version={version}
              onChanged={refresh}
              onGone={() => {
                setSelected(null);
                refresh();
              }}
              onOpen={(id, s) => {
                openTab(s);
                setSelected(id);
              }}
            />
          ) : (
            <p className="muted">Choose a client.</p>
          )}
        </section>
      </main>
    </>
  );
}
