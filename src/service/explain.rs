//! `Client.statusExplanation`: one sentence saying why a client is where it is, built
//! from its latest status-changing event and what is scheduled for it.

use chrono::{DateTime, Utc};
use entity::{client, lifecycle_event, ClientStatus, LifecycleAction, LifecycleReason};

/// How many of the newest events are searched for the one that set the status.
pub const EVENTS_LOOKED_AT: u64 = 5;

/// The newest event that brought the client into its current status (or created it
/// there), among `newest` (newest first).
pub fn status_event<'a>(
    c: &client::Model,
    newest: &'a [lifecycle_event::Model],
) -> Option<&'a lifecycle_event::Model> {
    newest.iter().find(|e| {
        e.to_status == Some(c.status)
            && (e.from_status != e.to_status || e.action == LifecycleAction::Create)
    })
}

fn day(at: DateTime<Utc>) -> String {
    at.format("%-d %B %Y").to_string()
}

fn participle(action: LifecycleAction) -> &'static str {
    use LifecycleAction as A;
    match action {
        A::Create => "Created",
        A::Update => "Updated",
        A::Activate => "Activated",
        A::ScheduleActivation => "Scheduled for activation",
        A::Suspend => "Suspended",
        A::Unsuspend => "Unsuspended",
        A::Deactivate => "Deactivated",
        A::Reactivate => "Reactivated",
        A::Archive => "Archived",
        A::Unarchive => "Unarchived",
        A::Discard => "Discarded",
        A::Restore => "Restored as a prospect",
        A::Decommission => "Decommissioned",
        A::CancelDecommission => "Decommission cancelled",
        A::Disconnect => "Disconnected",
        A::Delete => "Deleted",
        A::RevokePortalAccess => "Portal access revoked",
        A::RestorePortalAccess => "Portal access restored",
    }
}

fn because(reason: LifecycleReason) -> &'static str {
    use LifecycleReason as R;
    match reason {
        R::NonPayment => " for non-payment",
        R::ClientRequest => " at the client's request",
        R::MovedToAnotherFirm => " as the client moved to another firm",
        R::Seasonal => " for the season",
        R::ServiceEnded => " as the service ended",
        R::Duplicate => " as a duplicate",
        R::Other => " for another reason",
    }
}

fn status_words(s: ClientStatus) -> &'static str {
    match s {
        ClientStatus::Prospect => "a prospect",
        ClientStatus::Pending => "pending",
        ClientStatus::Active => "active",
        ClientStatus::Suspended => "suspended",
        ClientStatus::Inactive => "inactive",
        ClientStatus::Archived => "archived",
        ClientStatus::Discarded => "discarded",
        ClientStatus::Decommissioned => "decommissioned",
        ClientStatus::Disconnected => "disconnected",
    }
}

/// Who acted, as the sentence names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActedBy<'a> {
    Person(&'a str),
    Scheduler,
    /// The actor is not known any more (the event's personal data was erased).
    Unknown,
}

/// The sentence: "Suspended by Ana Ruiz on 3 March 2026 for non-payment; decommission
/// scheduled for 1 April 2026." `event` is what [`status_event`] found, with its actor.
pub fn sentence(c: &client::Model, event: Option<(&lifecycle_event::Model, ActedBy)>) -> String {
    let mut head = match event {
        Some((e, by)) => {
            let mut s = participle(e.action).to_string();
            match by {
                ActedBy::Person(name) => {
                    s.push_str(" by ");
                    s.push_str(name);
                }
                ActedBy::Scheduler => s.push_str(" by the scheduler"),
                ActedBy::Unknown => {}
            }
            s.push_str(" on ");
            s.push_str(&day(e.at));
            if let Some(r) = e.reason {
                s.push_str(because(r));
            }
            s
        }
        None => {
            let words = status_words(c.status);
            let mut s = format!("{} since {}", words, day(c.status_changed_at));
            if let Some(first) = s.get(..1) {
                let upper = first.to_uppercase();
                s.replace_range(..1, &upper);
            }
            s
        }
    };
    let mut clauses = Vec::new();
    if c.status == ClientStatus::Archived {
        if let Some(before) = c.status_before_archive {
            clauses.push(format!(
                "unarchiving makes it {} again",
                status_words(before)
            ));
        }
    }
    if let Some(at) = c.activation_scheduled_at {
        clauses.push(format!("activation scheduled for {}", day(at)));
    }
    if let Some(at) = c.decommission_scheduled_at {
        clauses.push(format!("decommission scheduled for {}", day(at)));
    }
    let ended = matches!(
        c.status,
        ClientStatus::Decommissioned | ClientStatus::Disconnected
    );
    if !c.portal_access && !ended {
        clauses.push("portal access revoked".to_string());
    }
    for clause in clauses {
        head.push_str("; ");
        head.push_str(&clause);
    }
    head.push('.');
    head
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use uuid::Uuid;

    fn client(status: ClientStatus) -> client::Model {
        crate::service::sample_client(status, Utc.with_ymd_and_hms(2026, 1, 5, 9, 0, 0).unwrap())
    }

    fn event(
        c: &client::Model,
        action: LifecycleAction,
        from: Option<ClientStatus>,
        to: Option<ClientStatus>,
        day: u32,
    ) -> lifecycle_event::Model {
        lifecycle_event::Model {
            id: Uuid::now_v7(),
            firm_id: c.firm_id,
            client_id: c.id,
            action,
            from_status: from,
            to_status: to,
            actor_id: Some(Uuid::now_v7()),
            reason: None,
            feedback: None,
            details: None,
            at: Utc.with_ymd_and_hms(2026, 3, day, 10, 0, 0).unwrap(),
        }
    }

    #[test]
    fn names_who_when_why_and_what_is_scheduled() {
        use ClientStatus::*;
        let mut c = client(Suspended);
        c.decommission_scheduled_at = Some(Utc.with_ymd_and_hms(2026, 4, 1, 0, 0, 0).unwrap());
        let mut suspend = event(
            &c,
            LifecycleAction::Suspend,
            Some(Active),
            Some(Suspended),
            3,
        );
        suspend.reason = Some(LifecycleReason::NonPayment);
        // Newer events that did not change the status are passed over.
        let schedule = event(
            &c,
            LifecycleAction::Decommission,
            Some(Suspended),
            Some(Suspended),
            4,
        );
        let newest = [schedule, suspend];
        let found = status_event(&c, &newest).unwrap();
        assert_eq!(found.action, LifecycleAction::Suspend);
        assert_eq!(
            sentence(&c, Some((found, ActedBy::Person("Ana Ruiz")))),
            "Suspended by Ana Ruiz on 3 March 2026 for non-payment; decommission scheduled \
             for 1 April 2026."
        );
    }

    #[test]
    fn covers_the_scheduler_archives_portal_access_and_old_histories() {
        use ClientStatus::*;
        let mut c = client(Archived);
        c.status_before_archive = Some(Suspended);
        c.portal_access = false;
        let archive = event(
            &c,
            LifecycleAction::Archive,
            Some(Suspended),
            Some(Archived),
            9,
        );
        assert_eq!(
            sentence(&c, Some((&archive, ActedBy::Scheduler))),
            "Archived by the scheduler on 9 March 2026; unarchiving makes it suspended again; \
             portal access revoked."
        );
        // No status-changing event among the newest: the status and since when.
        let c = client(Prospect);
        assert!(status_event(&c, &[]).is_none());
        assert_eq!(sentence(&c, None), "A prospect since 5 January 2026.");
        let mut c = client(Pending);
        c.activation_scheduled_at = Some(Utc.with_ymd_and_hms(2026, 2, 1, 0, 0, 0).unwrap());
        let created = event(&c, LifecycleAction::Create, None, Some(Pending), 1);
        assert_eq!(
            sentence(&c, Some((&created, ActedBy::Unknown))),
            "Created on 1 March 2026; activation scheduled for 1 February 2026."
        );
    }
}
