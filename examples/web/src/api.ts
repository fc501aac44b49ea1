// The transport: POST one typed operation to /graphql with the signed-in token. Types come
// from src/generated (npm run codegen); nothing here knows an operation by hand.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { print } from "graphql";

const TOKEN_KEY = "clientele.token";

export function token(): string | null {
  return localStorage.getItem(TOKEN_KEY);
}

export function signIn(value: string) {
  localStorage.setItem(TOKEN_KEY, value.trim().replace(/^Bearer\s+/i, ""));
}

export function signOut() {
  localStorage.removeItem(TOKEN_KEY);
}

/** A GraphQL error with its stable `extensions.code`. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly extensions: Record<string, unknown>,
  ) {
    super(message);
  }
}

export async function request<TData, TVariables>(
  document: TypedDocumentNode<TData, TVariables>,
  variables: TVariables,
): Promise<TData> {
  const headers: Record<string, string> = { "Content-Type": "application/json" };
  const t = token();
  if (t) headers.Authorization = `Bearer ${t}`;
  const response = await fetch("/graphql", {
    method: "POST",
    headers,
    body: JSON.stringify({ query: print(document), variables }),
  });
  const body = await response.json().catch(() => null);
  const first = body?.errors?.[0];
  if (first) {
    const extensions = first.extensions ?? {};
    throw new ApiError(first.message, extensions.code ?? "INTERNAL", extensions);
  }
  if (!response.ok || !body?.data) {
    throw new ApiError(`The server answered ${response.status}.`, "INTERNAL", {});
  }
  return body.data as TData;
}

/** A sentence for a person, by error code; the server's message adds the details. */
export function friendly(error: unknown): string {
  if (!(error instanceof ApiError)) return "Something went wrong. Please try again.";
  switch (error.code) {
    case "UNAUTHENTICATED":
      return "Your session is not valid any more. Sign in again.";
    case "FORBIDDEN":
      return `You are not allowed to do this. ${error.message}`;
    case "NOT_FOUND":
      return "This client no longer exists.";
    case "VERSION_CONFLICT":
      return "Someone else changed this client meanwhile. It has been reloaded: check and try again.";
    case "CONFIRMATION_MISMATCH":
      return "The name you typed does not match the client's name exactly. Nothing was deleted.";
    case "ACTIVE_WORKFLOWS":
      return `This client still has work in progress. ${error.message}`;
    case "EMAIL_IN_USE":
      return "This e-mail address is already used by someone else in your firm.";
    case "INVALID_TRANSITION":
    case "ACCOUNT_OWNER_REQUIRED":
    case "SELF_PAYING_CLIENT":
    case "BAD_USER_INPUT":
      return error.message;
    default:
      return "Something went wrong on the server. Please try again.";
  }
}
