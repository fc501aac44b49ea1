//! Users remembered between requests: signed-in users on PostgreSQL, and on both
//! databases the staff a page names.
//!
//! Every request with a token reads its user (the role and whether the account is still
//! active are always the database's). A screen sends the same token again and again,
//! and on PostgreSQL that read was a second round trip for every page, about a third of
//! what the page's own SELECT costs the database. So a user read for a request is kept
//! here; so are the staff a page names (the actors of its events, its stakeholders),
//! who are few and mostly the people signed in. Each is dropped as soon as anything may
//! have changed it:
//!
//! - on PostgreSQL, the migration puts a trigger on `users` that sends `NOTIFY
//!   clientele_users` for every statement that writes the table, whoever runs it (this
//!   server, another process, an operator in `psql`); PostgreSQL delivers it on commit,
//!   and every server process forgets all the users it knows (`changed`);
//! - on SQLite, which has no notifications, triggers count every write to `users` in
//!   the one-row table `user_changes`, and every request reads that count with its
//!   signed-in user, in the same statement (so the signed-in user itself is always
//!   read): a count other than the last one seen forgets every user (`counted`). A
//!   page's staff are thus never older than the start of the request that shows them;
//! - this process's own writes to `users` call `changed` right after they commit, so
//!   its next request reads the new row without waiting for the notification;
//! - nothing is remembered unless changes are heard (`listening(true)` on PostgreSQL, a
//!   count read on SQLite), and a lost listening connection forgets everything; a user
//!   read while a change was being announced is not kept (the generation it was read in
//!   is over);
//! - an entry is used for at most [`TTL`] in any case.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use entity::user;
use uuid::Uuid;

/// The PostgreSQL channel the `users` trigger notifies.
pub const CHANNEL: &str = "clientele_users";
/// Longest time a remembered user is used without being read again.
pub const TTL: Duration = Duration::from_secs(10);
/// Most users remembered; the memory starts afresh when full.
const MAX_USERS: usize = 4_096;

/// Users read for requests, while no change to `users` has been announced since.
#[derive(Debug, Default)]
pub struct SignedIn(Mutex<State>);

#[derive(Debug, Default)]
struct State {
    /// Whether changes to `users` are being heard.
    listening: bool,
    /// On SQLite, the count of changes to `users` last read.
    counted: Option<i64>,
    /// Changes announced so far (and listening connections made or lost).
    generation: u64,
    users: HashMap<Uuid, (user::Model, Instant), foldhash::fast::RandomState>,
}

/// The moment a user was read from: the generation, while listening.
#[derive(Debug, Clone, Copy)]
pub struct ReadAt(u64);

impl SignedIn {
    fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    /// The user as last read, when it may still be used.
    pub fn get(&self, id: Uuid) -> Option<user::Model> {
        let state = self.state();
        if !state.listening {
            return None;
        }
        let (user, read) = state.users.get(&id)?;
        (read.elapsed() < TTL).then(|| user.clone())
    }

    /// Taken before reading a user from the database; `None` when nothing may be kept.
    pub fn before_read(&self) -> Option<ReadAt> {
        let state = self.state();
        state.listening.then_some(ReadAt(state.generation))
    }

    /// Keeps a user read since `at`, unless a change has been announced meanwhile.
    pub fn keep(&self, at: ReadAt, user: &user::Model) {
        let mut state = self.state();
        if !state.listening || state.generation != at.0 {
            return;
        }
        if state.users.len() >= MAX_USERS {
            state.users.clear();
        }
        state.users.insert(user.id, (user.clone(), Instant::now()));
    }

    /// Something may have changed a user: forgets them all.
    pub fn changed(&self) {
        let mut state = self.state();
        state.generation += 1;
        state.users.clear();
    }

    /// On SQLite: the count of changes to `users` read with a signed-in user. Another
    /// count than the last one forgets every user; either way, users may be kept from
    /// now on. Returns the moment the user read with the count belongs to.
    pub fn counted(&self, changes: i64) -> ReadAt {
        let mut state = self.state();
        if state.counted != Some(changes) {
            state.counted = Some(changes);
            state.generation += 1;
            state.users.clear();
        }
        state.listening = true;
        ReadAt(state.generation)
    }

    /// Whether changes are being heard from now on; either way, forgets every user (a
    /// change may have been missed while the connection was down).
    pub fn listening(&self, on: bool) {
        let mut state = self.state();
        state.listening = on;
        state.generation += 1;
        state.users.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn user(role: entity::Role) -> user::Model {
        let now = chrono::Utc::now();
        user::Model {
            id: Uuid::from_u128(7),
            firm_id: Uuid::from_u128(1),
            name: "Ada".into(),
            email: "ada@example.test".into(),
            role,
            active: true,
            created_at: now,
            updated_at: now,
        }
    }

    #[test]
    fn users_are_kept_only_while_listening_and_until_a_change() {
        let memory = SignedIn::default();
        let ada = user(entity::Role::Admin);
        // Not listening (SQLite, or before the listener connects): nothing is kept.
        assert!(memory.before_read().is_none());
        memory.keep(ReadAt(0), &ada);
        assert_eq!(memory.get(ada.id), None);

        memory.listening(true);
        let at = memory.before_read().unwrap();
        memory.keep(at, &ada);
        assert_eq!(memory.get(ada.id), Some(ada.clone()));

        // A change forgets it, and a read that began before the change is not kept.
        let before = memory.before_read().unwrap();
        memory.changed();
        assert_eq!(memory.get(ada.id), None);
        memory.keep(before, &user(entity::Role::Viewer));
        assert_eq!(memory.get(ada.id), None);
        let after = memory.before_read().unwrap();
        memory.keep(after, &ada);
        assert_eq!(memory.get(ada.id), Some(ada.clone()));

        // A lost connection forgets everything and keeps nothing until it is back.
        memory.listening(false);
        assert_eq!(memory.get(ada.id), None);
        assert!(memory.before_read().is_none());
        memory.keep(after, &ada);
        memory.listening(true);
        assert_eq!(memory.get(ada.id), None);
    }

    #[test]
    fn on_sqlite_users_are_kept_while_the_count_of_changes_stays_the_same() {
        let memory = SignedIn::default();
        let ada = user(entity::Role::Admin);
        // Nothing is kept before a count has been read.
        assert!(memory.before_read().is_none());
        let at = memory.counted(3);
        memory.keep(at, &ada);
        assert_eq!(memory.get(ada.id), Some(ada.clone()));
        // The same count: still kept, and a read that began before it may be kept.
        let before = memory.before_read().unwrap();
        memory.counted(3);
        assert_eq!(memory.get(ada.id), Some(ada.clone()));
        // Another count (a write to `users` by anyone): forgotten, and a read that began
        // before it is not kept.
        memory.counted(4);
        assert_eq!(memory.get(ada.id), None);
        memory.keep(before, &ada);
        assert_eq!(memory.get(ada.id), None);
        // Even a lower one (a request that read the count earlier answering later).
        let at = memory.counted(4);
        memory.keep(at, &ada);
        memory.counted(3);
        assert_eq!(memory.get(ada.id), None);
    }

    #[test]
    fn remembered_users_are_read_again_after_the_ttl() {
        let memory = SignedIn::default();
        let ada = user(entity::Role::Admin);
        memory.listening(true);
        let at = memory.before_read().unwrap();
        memory.keep(at, &ada);
        assert_eq!(memory.get(ada.id), Some(ada.clone()));
        let Some(then) = Instant::now().checked_sub(TTL) else {
            return;
        };
        memory.state().users.get_mut(&ada.id).unwrap().1 = then;
        assert_eq!(memory.get(ada.id), None);
    }
}
