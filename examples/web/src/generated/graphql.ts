/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';
/** Activate a PROSPECT or PENDING client. */
export type ActivateClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Archive an ACTIVE, SUSPENDED or INACTIVE client. */
export type ArchiveClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Cancel a client's scheduled decommission. */
export type CancelScheduledDecommissionInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Whether a subscription period is charged. */
export type Charge =
  /** A new twelve-month period, invoiced. */
  | 'INVOICED'
  /** The rest of a period already paid for, at no charge. */
  | 'NONE';

/** Where a client stands in its lifecycle. */
export type ClientStatus =
  /** A client receiving services. */
  | 'ACTIVE'
  /** A closed file; reversible with `unarchiveClient`. */
  | 'ARCHIVED'
  /** Contract closed; irreversible. */
  | 'DECOMMISSIONED'
  /** Soft-deleted; `restoreClient` brings it back as a PROSPECT. */
  | 'DISCARDED'
  /** Link to the firm severed and the account handed to the client; irreversible. */
  | 'DISCONNECTED'
  /** Deactivated: services and subscription stopped, history kept; reversible. */
  | 'INACTIVE'
  /** Scheduled for activation, or waiting to be activated by hand. */
  | 'PENDING'
  /** A contact, not yet a subscribed client. */
  | 'PROSPECT'
  /** Services temporarily stopped (for example by credit control). */
  | 'SUSPENDED';

/** A contact's status. */
export type ContactStatus =
  /** Uses the portal and can be assigned work. */
  | 'ACTIVE'
  /** Keeps its history; no portal access, no new work; can be deleted. */
  | 'INACTIVE';

/** Deactivate an ACTIVE or SUSPENDED client. */
export type DeactivateClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Also send the confirmation e-mail to the client (default false). */
  notifyClient?: boolean | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Decommission a client now or at a later date. */
export type DecommissionClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /**
   * When; absent or in the past means now (irreversible), in the future only
   * schedules it.
   */
  effectiveAt?: string | null | undefined;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Permanently delete a client. */
export type DeleteClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** The client's name, typed exactly, to confirm. */
  confirmName: string;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Discard (soft-delete) a client. */
export type DiscardClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Disconnect a client, handing its account to an account owner. */
export type DisconnectClientInput = {
  /** The ACTIVE contact of the client who takes the account over. */
  accountOwnerContactId?: string | number | null | undefined;
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** What kind of row holds an e-mail address. */
export type EmailHolderKind =
  /** A client of the firm (any status until it is permanently deleted). */
  | 'CLIENT'
  /** A contact of one of the firm's clients (ACTIVE or INACTIVE). */
  | 'CONTACT'
  /** A staff user of the firm. */
  | 'USER';

/**
 * The stable codes found in `extensions.code` of every GraphQL error, and in
 * `AvailableAction.code`.
 */
export type ErrorCode =
  /** Disconnecting needs an ACTIVE contact of the client as account owner. */
  | 'ACCOUNT_OWNER_REQUIRED'
  /** The client still has ACTIVE workflows. */
  | 'ACTIVE_WORKFLOWS'
  /** An argument is malformed, too long, or out of range. */
  | 'BAD_USER_INPUT'
  /** `confirmName` does not equal the client's name exactly. */
  | 'CONFIRMATION_MISMATCH'
  /** The e-mail address is already held by another client, contact or user. */
  | 'EMAIL_IN_USE'
  /** The signed-in user's role does not allow this. */
  | 'FORBIDDEN'
  /** Something went wrong on the server; details are in its logs only. */
  | 'INTERNAL'
  /** The action is not allowed from the client's current status. */
  | 'INVALID_TRANSITION'
  /** Nothing with that id exists in the viewer's firm. */
  | 'NOT_FOUND'
  /** The action is not available for a self-paying client. */
  | 'SELF_PAYING_CLIENT'
  /** No valid bearer token was sent, it expired, or its user is deactivated. */
  | 'UNAUTHENTICATED'
  /** The client changed since the `expectedVersion` the caller had. */
  | 'VERSION_CONFLICT';

/**
 * An action recorded in a client's history. Every value but CREATE and UPDATE is a
 * transition of the lifecycle table and appears in `Client.availableActions`.
 */
export type LifecycleAction =
  /** PROSPECT or PENDING to ACTIVE. */
  | 'ACTIVATE'
  /** ACTIVE, SUSPENDED or INACTIVE to ARCHIVED. */
  | 'ARCHIVE'
  /** Clears a scheduled decommission. */
  | 'CANCEL_DECOMMISSION'
  /** The client was created (`createClient`). */
  | 'CREATE'
  /** ACTIVE or SUSPENDED to INACTIVE (not for self-paying clients). */
  | 'DEACTIVATE'
  /** To DECOMMISSIONED now, or scheduled for a later date. */
  | 'DECOMMISSION'
  /** Permanent deletion. */
  | 'DELETE'
  /** Any open status to DISCARDED (soft delete). */
  | 'DISCARD'
  /** To DISCONNECTED, handing the account to an account owner. */
  | 'DISCONNECT'
  /** INACTIVE to ACTIVE. */
  | 'REACTIVATE'
  /** DISCARDED to PROSPECT. */
  | 'RESTORE'
  /** Turns the client's portal access back on. */
  | 'RESTORE_PORTAL_ACCESS'
  /** Turns the client's portal access off. */
  | 'REVOKE_PORTAL_ACCESS'
  /** PROSPECT or PENDING to PENDING, activated by the scheduler when due. */
  | 'SCHEDULE_ACTIVATION'
  /** ACTIVE to SUSPENDED. */
  | 'SUSPEND'
  /** ARCHIVED back to the status it had before. */
  | 'UNARCHIVE'
  /** SUSPENDED to ACTIVE. */
  | 'UNSUSPEND'
  /** The client's details were edited (`updateClient`). */
  | 'UPDATE';

/** Why an action was taken. */
export type LifecycleReason =
  /** The client asked for it. */
  | 'CLIENT_REQUEST'
  /** The client is a duplicate of another. */
  | 'DUPLICATE'
  /** The client moved to another firm. */
  | 'MOVED_TO_ANOTHER_FIRM'
  /** The client did not pay. */
  | 'NON_PAYMENT'
  /** Anything else (say more in `feedback`). */
  | 'OTHER'
  /** Seasonal work: the client comes and goes. */
  | 'SEASONAL'
  /** The service the client had has ended. */
  | 'SERVICE_ENDED';

/** What `previewAction` asks about: the action and the arguments its mutation would get. */
export type PreviewActionInput = {
  /** DISCONNECT: the contact who would take the account over. */
  accountOwnerContactId?: string | number | null | undefined;
  /** The action (one of the transition table; CREATE and UPDATE are not actions). */
  action: LifecycleAction;
  /** SCHEDULE_ACTIVATION: when the client would be activated. */
  at?: string | null | undefined;
  /** The client. */
  clientId: string | number;
  /** DELETE: the name as typed so far (empty: not typed yet). */
  confirmName?: string | null | undefined;
  /** DECOMMISSION: when; absent or in the past means now. */
  effectiveAt?: string | null | undefined;
  /** DEACTIVATE: whether the client would get the confirmation e-mail too. */
  notifyClient?: boolean | null | undefined;
};

/** Reactivate an INACTIVE client. */
export type ReactivateClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Restore a DISCARDED client as a PROSPECT. */
export type RestoreClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Restore a client's portal access. */
export type RestorePortalAccessInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Revoke a client's portal access. */
export type RevokePortalAccessInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** A staff user's role; each includes the powers of those below it. */
export type Role =
  /** Everything, including staff management, deactivation, decommission and deletion. */
  | 'ADMIN'
  /** Day-to-day lifecycle actions (activate, suspend, archive, discard, portal access). */
  | 'MANAGER'
  /** Creates and edits clients. */
  | 'MEMBER'
  /** Reads only. */
  | 'VIEWER';

/** Schedule a PROSPECT or PENDING client's activation. */
export type ScheduleActivationInput = {
  /** When to activate; must be in the future. */
  at: string;
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Suspend an ACTIVE client. */
export type SuspendClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Unarchive an ARCHIVED client. */
export type UnarchiveClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Unsuspend a SUSPENDED client. */
export type UnsuspendClientInput = {
  /** The client to act on. */
  clientId: string | number;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** Optional free-text feedback, up to 2,000 characters (stored on the event). */
  feedback?: string | null | undefined;
  /** Why the action is taken (stored on the event). */
  reason?: LifecycleReason | null | undefined;
};

/** Changes to a client's details; omitted fields stay as they are. */
export type UpdateClientInput = {
  /** The client to edit. */
  clientId: string | number;
  /** New e-mail address; null removes it. */
  email?: string | null | undefined;
  /** Refuse with VERSION_CONFLICT unless the client is still at this version. */
  expectedVersion?: number | null | undefined;
  /** New display name. */
  name?: string | null | undefined;
};

/** Where a workflow stands. */
export type WorkflowStatus =
  /** In progress; blocks discarding the client. */
  | 'ACTIVE'
  /** Put away because the client was archived. */
  | 'ARCHIVED'
  /** Stopped (by hand, or because the client was decommissioned). */
  | 'CANCELLED'
  /** Done. */
  | 'COMPLETED';

export type StatusCountsQueryVariables = Exact<{ [key: string]: never; }>;


export type StatusCountsQuery = { clientStatusCounts: Array<{ status: ClientStatus, count: number }> };

export type ClientListQueryVariables = Exact<{
  status?: Array<ClientStatus> | ClientStatus | null | undefined;
  search?: string | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ClientListQuery = { clients: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, nodes: Array<{ id: string, name: string, email: string | null, status: ClientStatus }> } };

export type ClientCardQueryVariables = Exact<{
  id: string | number;
}>;


export type ClientCardQuery = { client: { id: string, name: string, email: string | null, status: ClientStatus, version: number, portalAccess: boolean, statusExplanation: string, contacts: Array<{ id: string, name: string, email: string, status: ContactStatus }>, workflows: Array<{ id: string, name: string, status: WorkflowStatus }>, availableActions: Array<{ action: LifecycleAction, allowed: boolean, code: ErrorCode | null, reason: string | null }>, history: { nodes: Array<{ id: string, action: LifecycleAction, fromStatus: ClientStatus | null, toStatus: ClientStatus | null, reason: LifecycleReason | null, at: string, actor: { name: string } | null }> } } | null };

export type PreviewActionQueryVariables = Exact<{
  input: PreviewActionInput;
}>;


export type PreviewActionQuery = { previewAction: { action: LifecycleAction, allowed: boolean, code: ErrorCode | null, reason: string | null, missingArguments: Array<string>, toStatus: ClientStatus | null, purged: boolean, portalAccessRevoked: boolean, emailAddressesFreed: Array<string>, client: { version: number }, subscriptionEnds: { periodEnd: string } | null, subscriptionStarts: { charge: Charge, periodStart: string, periodEnd: string } | null, workflowsArchived: Array<{ name: string }>, workflowsCancelled: Array<{ name: string }>, notifications: Array<{ kind: string, recipient: string }> } };

export type EmailHolderQueryVariables = Exact<{
  email: string;
}>;


export type EmailHolderQuery = { emailHolder: { kind: EmailHolderKind, id: string, name: string, status: string } | null };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, name: string, role: Role } };

export type UpdateClientEmailMutationVariables = Exact<{
  input: UpdateClientInput;
}>;


export type UpdateClientEmailMutation = { updateClient: { client: { id: string, email: string | null, version: number } } };

export type ActivateClientMutationVariables = Exact<{
  input: ActivateClientInput;
}>;


export type ActivateClientMutation = { activateClient: { client: { id: string, status: ClientStatus } } };

export type ScheduleActivationMutationVariables = Exact<{
  input: ScheduleActivationInput;
}>;


export type ScheduleActivationMutation = { scheduleActivation: { client: { id: string, status: ClientStatus } } };

export type SuspendClientMutationVariables = Exact<{
  input: SuspendClientInput;
}>;


export type SuspendClientMutation = { suspendClient: { client: { id: string, status: ClientStatus } } };

export type UnsuspendClientMutationVariables = Exact<{
  input: UnsuspendClientInput;
}>;


export type UnsuspendClientMutation = { unsuspendClient: { client: { id: string, status: ClientStatus } } };

export type DeactivateClientMutationVariables = Exact<{
  input: DeactivateClientInput;
}>;


export type DeactivateClientMutation = { deactivateClient: { client: { id: string, status: ClientStatus } } };

export type ReactivateClientMutationVariables = Exact<{
  input: ReactivateClientInput;
}>;


export type ReactivateClientMutation = { reactivateClient: { client: { id: string, status: ClientStatus } } };

export type ArchiveClientMutationVariables = Exact<{
  input: ArchiveClientInput;
}>;


export type ArchiveClientMutation = { archiveClient: { client: { id: string, status: ClientStatus } } };

export type UnarchiveClientMutationVariables = Exact<{
  input: UnarchiveClientInput;
}>;


export type UnarchiveClientMutation = { unarchiveClient: { client: { id: string, status: ClientStatus } } };

export type RestoreClientMutationVariables = Exact<{
  input: RestoreClientInput;
}>;


export type RestoreClientMutation = { restoreClient: { client: { id: string, status: ClientStatus } } };

export type DecommissionClientMutationVariables = Exact<{
  input: DecommissionClientInput;
}>;


export type DecommissionClientMutation = { decommissionClient: { client: { id: string, status: ClientStatus } } };

export type CancelScheduledDecommissionMutationVariables = Exact<{
  input: CancelScheduledDecommissionInput;
}>;


export type CancelScheduledDecommissionMutation = { cancelScheduledDecommission: { client: { id: string, status: ClientStatus } } };

export type DisconnectClientMutationVariables = Exact<{
  input: DisconnectClientInput;
}>;


export type DisconnectClientMutation = { disconnectClient: { client: { id: string, status: ClientStatus } } };

export type RevokePortalAccessMutationVariables = Exact<{
  input: RevokePortalAccessInput;
}>;


export type RevokePortalAccessMutation = { revokePortalAccess: { client: { id: string, status: ClientStatus } } };

export type RestorePortalAccessMutationVariables = Exact<{
  input: RestorePortalAccessInput;
}>;


export type RestorePortalAccessMutation = { restorePortalAccess: { client: { id: string, status: ClientStatus } } };

export type DiscardClientMutationVariables = Exact<{
  input: DiscardClientInput;
}>;


export type DiscardClientMutation = { discardClient: { purged: boolean, client: { id: string, status: ClientStatus } | null } };

export type DeleteClientMutationVariables = Exact<{
  input: DeleteClientInput;
}>;


export type DeleteClientMutation = { deleteClient: { deletedClientId: string } };


export const StatusCountsDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"StatusCounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clientStatusCounts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"count"}}]}}]}}]} as unknown as DocumentNode<StatusCountsQuery, StatusCountsQueryVariables>;
export const ClientListDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClientList"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"status"}},"type":{"kind":"ListType","type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ClientStatus"}}}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"search"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"first"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"Int"}}},{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"after"}},"type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"clients"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"filter"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"status"},"value":{"kind":"Variable","name":{"kind":"Name","value":"status"}}},{"kind":"ObjectField","name":{"kind":"Name","value":"search"},"value":{"kind":"Variable","name":{"kind":"Name","value":"search"}}}]}},{"kind":"Argument","name":{"kind":"Name","value":"orderBy"},"value":{"kind":"ObjectValue","fields":[{"kind":"ObjectField","name":{"kind":"Name","value":"field"},"value":{"kind":"EnumValue","value":"NAME"}},{"kind":"ObjectField","name":{"kind":"Name","value":"direction"},"value":{"kind":"EnumValue","value":"ASC"}}]}},{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"Variable","name":{"kind":"Name","value":"first"}}},{"kind":"Argument","name":{"kind":"Name","value":"after"},"value":{"kind":"Variable","name":{"kind":"Name","value":"after"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"totalCount"}},{"kind":"Field","name":{"kind":"Name","value":"pageInfo"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"hasNextPage"}},{"kind":"Field","name":{"kind":"Name","value":"endCursor"}}]}},{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<ClientListQuery, ClientListQueryVariables>;
export const ClientCardDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"ClientCard"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"id"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ID"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"id"},"value":{"kind":"Variable","name":{"kind":"Name","value":"id"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}},{"kind":"Field","name":{"kind":"Name","value":"version"}},{"kind":"Field","name":{"kind":"Name","value":"portalAccess"}},{"kind":"Field","name":{"kind":"Name","value":"statusExplanation"}},{"kind":"Field","name":{"kind":"Name","value":"contacts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"workflows"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}},{"kind":"Field","name":{"kind":"Name","value":"availableActions"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}}]}},{"kind":"Field","name":{"kind":"Name","value":"history"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"first"},"value":{"kind":"IntValue","value":"20"}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"nodes"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"fromStatus"}},{"kind":"Field","name":{"kind":"Name","value":"toStatus"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"at"}},{"kind":"Field","name":{"kind":"Name","value":"actor"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}}]}}]}}]}}]}}]} as unknown as DocumentNode<ClientCardQuery, ClientCardQueryVariables>;
export const PreviewActionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"PreviewAction"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"PreviewActionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"previewAction"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"action"}},{"kind":"Field","name":{"kind":"Name","value":"allowed"}},{"kind":"Field","name":{"kind":"Name","value":"code"}},{"kind":"Field","name":{"kind":"Name","value":"reason"}},{"kind":"Field","name":{"kind":"Name","value":"missingArguments"}},{"kind":"Field","name":{"kind":"Name","value":"toStatus"}},{"kind":"Field","name":{"kind":"Name","value":"purged"}},{"kind":"Field","name":{"kind":"Name","value":"portalAccessRevoked"}},{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"version"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscriptionEnds"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}},{"kind":"Field","name":{"kind":"Name","value":"subscriptionStarts"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"charge"}},{"kind":"Field","name":{"kind":"Name","value":"periodStart"}},{"kind":"Field","name":{"kind":"Name","value":"periodEnd"}}]}},{"kind":"Field","name":{"kind":"Name","value":"workflowsArchived"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"workflowsCancelled"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"name"}}]}},{"kind":"Field","name":{"kind":"Name","value":"notifications"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"recipient"}}]}},{"kind":"Field","name":{"kind":"Name","value":"emailAddressesFreed"}}]}}]}}]} as unknown as DocumentNode<PreviewActionQuery, PreviewActionQueryVariables>;
export const EmailHolderDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"EmailHolder"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"email"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"String"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"emailHolder"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"email"},"value":{"kind":"Variable","name":{"kind":"Name","value":"email"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"kind"}},{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]} as unknown as DocumentNode<EmailHolderQuery, EmailHolderQueryVariables>;
export const MeDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"query","name":{"kind":"Name","value":"Me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"me"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"name"}},{"kind":"Field","name":{"kind":"Name","value":"role"}}]}}]}}]} as unknown as DocumentNode<MeQuery, MeQueryVariables>;
export const UpdateClientEmailDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UpdateClientEmail"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UpdateClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"updateClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"email"}},{"kind":"Field","name":{"kind":"Name","value":"version"}}]}}]}}]}}]} as unknown as DocumentNode<UpdateClientEmailMutation, UpdateClientEmailMutationVariables>;
export const ActivateClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ActivateClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ActivateClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"activateClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<ActivateClientMutation, ActivateClientMutationVariables>;
export const ScheduleActivationDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ScheduleActivation"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ScheduleActivationInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"scheduleActivation"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<ScheduleActivationMutation, ScheduleActivationMutationVariables>;
export const SuspendClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"SuspendClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"SuspendClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"suspendClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<SuspendClientMutation, SuspendClientMutationVariables>;
export const UnsuspendClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UnsuspendClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UnsuspendClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unsuspendClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<UnsuspendClientMutation, UnsuspendClientMutationVariables>;
export const DeactivateClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeactivateClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeactivateClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deactivateClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<DeactivateClientMutation, DeactivateClientMutationVariables>;
export const ReactivateClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ReactivateClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ReactivateClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"reactivateClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<ReactivateClientMutation, ReactivateClientMutationVariables>;
export const ArchiveClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"ArchiveClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"ArchiveClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"archiveClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<ArchiveClientMutation, ArchiveClientMutationVariables>;
export const UnarchiveClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"UnarchiveClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"UnarchiveClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"unarchiveClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<UnarchiveClientMutation, UnarchiveClientMutationVariables>;
export const RestoreClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RestoreClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RestoreClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restoreClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<RestoreClientMutation, RestoreClientMutationVariables>;
export const DecommissionClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DecommissionClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DecommissionClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"decommissionClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<DecommissionClientMutation, DecommissionClientMutationVariables>;
export const CancelScheduledDecommissionDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"CancelScheduledDecommission"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"CancelScheduledDecommissionInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"cancelScheduledDecommission"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<CancelScheduledDecommissionMutation, CancelScheduledDecommissionMutationVariables>;
export const DisconnectClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DisconnectClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DisconnectClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"disconnectClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<DisconnectClientMutation, DisconnectClientMutationVariables>;
export const RevokePortalAccessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RevokePortalAccess"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RevokePortalAccessInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"revokePortalAccess"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<RevokePortalAccessMutation, RevokePortalAccessMutationVariables>;
export const RestorePortalAccessDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"RestorePortalAccess"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"RestorePortalAccessInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"restorePortalAccess"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<RestorePortalAccessMutation, RestorePortalAccessMutationVariables>;
export const DiscardClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DiscardClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DiscardClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"discardClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"purged"}},{"kind":"Field","name":{"kind":"Name","value":"client"},"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"id"}},{"kind":"Field","name":{"kind":"Name","value":"status"}}]}}]}}]}}]} as unknown as DocumentNode<DiscardClientMutation, DiscardClientMutationVariables>;
export const DeleteClientDocument = {"kind":"Document","definitions":[{"kind":"OperationDefinition","operation":"mutation","name":{"kind":"Name","value":"DeleteClient"},"variableDefinitions":[{"kind":"VariableDefinition","variable":{"kind":"Variable","name":{"kind":"Name","value":"input"}},"type":{"kind":"NonNullType","type":{"kind":"NamedType","name":{"kind":"Name","value":"DeleteClientInput"}}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deleteClient"},"arguments":[{"kind":"Argument","name":{"kind":"Name","value":"input"},"value":{"kind":"Variable","name":{"kind":"Name","value":"input"}}}],"selectionSet":{"kind":"SelectionSet","selections":[{"kind":"Field","name":{"kind":"Name","value":"deletedClientId"}}]}}]}}]} as unknown as DocumentNode<DeleteClientMutation, DeleteClientMutationVariables>;