//! The embedded key-value store: Redis's data model (strings and sorted sets) in a `HashMap`
//! behind one mutex. It is the no-setup default, and it makes the KV store's costs countable
//! without a network: each method is what would be one Redis round trip.

use std::collections::{BTreeSet, HashMap};

use parking_lot::Mutex;

use crate::Error;
use crate::kv::{Check, KvStore, Write};
use crate::meter::Meter;

/// One sorted set: members by `(score, member)` for range scans, and each member's score for
/// updates. Two structures kept in step by hand, which is what any index is.
#[derive(Debug, Default)]
struct SortedSet {
    by_score: BTreeSet<(i64, String)>,
    scores: HashMap<String, i64>,
}

impl SortedSet {
    fn insert(&mut self, member: &str, score: i64) {
        if let Some(old) = self.scores.insert(member.to_owned(), score) {
            self.by_score.remove(&(old, member.to_owned()));
        }
        self.by_score.insert((score, member.to_owned()));
    }

    fn remove(&mut self, member: &str) {
        if let Some(old) = self.scores.remove(member) {
            self.by_score.remove(&(old, member.to_owned()));
        }
    }
}

#[derive(Debug, Default)]
struct State {
    strings: HashMap<String, String>,
    sorted_sets: HashMap<String, SortedSet>,
}

impl State {
    fn passes(&self, check: &Check) -> bool {
        match check {
            Check::AtLeast { key, min } => self
                .strings
                .get(key)
                .and_then(|v| v.parse::<i64>().ok())
                .is_some_and(|v| v >= *min),
            Check::Unchanged { key, value } => self.strings.get(key) == Some(value),
        }
    }

    fn write(&mut self, write: &Write) -> Result<(), Error> {
        match write {
            Write::Set { key, value } => {
                self.strings.insert(key.clone(), value.clone());
            }
            Write::DecrBy { key, by } => {
                let current = match self.strings.get(key) {
                    None => 0,
                    Some(v) => v.parse::<i64>().map_err(|_| Error::Corrupt {
                        key: key.clone(),
                        value: v.clone(),
                        why: "DECRBY on a value that is not an integer",
                    })?,
                };
                self.strings.insert(key.clone(), (current - by).to_string());
            }
            Write::ZAdd { key, score, member } => {
                self.sorted_sets
                    .entry(key.clone())
                    .or_default()
                    .insert(member, *score);
            }
            Write::ZRem { key, member } => {
                if let Some(set) = self.sorted_sets.get_mut(key) {
                    set.remove(member);
                }
            }
            Write::ZIncrBy { key, member, by } => {
                let set = self.sorted_sets.entry(key.clone()).or_default();
                let score = set.scores.get(member).copied().unwrap_or(0) + by;
                set.insert(member, score);
            }
        }
        Ok(())
    }
}

/// [`KvStore`] in process.
#[derive(Debug, Default)]
pub struct MemoryKv {
    state: Mutex<State>,
    meter: Meter,
}

impl MemoryKv {
    pub fn new() -> Self {
        Self::default()
    }
}

impl KvStore for MemoryKv {
    fn name(&self) -> &str {
        "memory"
    }

    fn meter(&self) -> &Meter {
        &self.meter
    }

    async fn get(&self, key: &str) -> Result<Option<String>, Error> {
        let value = self.state.lock().strings.get(key).cloned();
        self.meter.record(u64::from(value.is_some()), 0);
        Ok(value)
    }

    async fn mget(&self, keys: &[String]) -> Result<Vec<Option<String>>, Error> {
        let state = self.state.lock();
        let values: Vec<_> = keys.iter().map(|k| state.strings.get(k).cloned()).collect();
        self.meter.record(values.iter().flatten().count() as u64, 0);
        Ok(values)
    }

    async fn incr(&self, key: &str) -> Result<u64, Error> {
        let mut state = self.state.lock();
        let next = match state.strings.get(key) {
            None => 1,
            Some(v) => {
                v.parse::<u64>().map_err(|_| Error::Corrupt {
                    key: key.to_owned(),
                    value: v.clone(),
                    why: "INCR on a value that is not a counter",
                })? + 1
            }
        };
        state.strings.insert(key.to_owned(), next.to_string());
        self.meter.record(1, 1);
        Ok(next)
    }

    async fn zrange_by_score(
        &self,
        key: &str,
        min: i64,
        max: i64,
    ) -> Result<Vec<(String, i64)>, Error> {
        let state = self.state.lock();
        let found: Vec<(String, i64)> = match state.sorted_sets.get(key) {
            Some(set) if min <= max => set
                .by_score
                .range((min, String::new())..)
                .take_while(|(score, _)| *score <= max)
                .map(|(score, member)| (member.clone(), *score))
                .collect(),
            _ => Vec::new(),
        };
        self.meter.record(found.len() as u64, 0);
        Ok(found)
    }

    // ANCHOR: memory_apply
    async fn apply(&self, checks: &[Check], writes: &[Write]) -> Result<bool, Error> {
        // One lock for the checks and all the writes: no other caller sees a half-applied batch.
        let mut state = self.state.lock();
        let ok = checks.iter().all(|check| state.passes(check));
        if ok {
            for write in writes {
                state.write(write)?;
            }
        }
        let written = if ok { writes.len() as u64 } else { 0 };
        self.meter.record(checks.len() as u64, written);
        Ok(ok)
    }
    // ANCHOR_END: memory_apply
}
