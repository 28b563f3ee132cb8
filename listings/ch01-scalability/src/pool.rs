//! The replica pool: starts and stops replicas, registers them with the front, and measures
//! their utilization for the autoscaler.

use std::collections::HashMap;
use std::sync::Arc;

use parking_lot::Mutex;
use tokio::time::Instant;

use crate::autoscaler::ScaleTarget;
use crate::front::RoundRobin;
use crate::replica::{Replica, ReplicaConfig, ReplicaStats};
use crate::{Error, MemoryStore, SessionStore};

/// Where each new replica keeps its sessions.
#[derive(Clone)]
pub enum StoreMode {
    /// Every replica uses this one store: the stateless design.
    Shared(Arc<dyn SessionStore>),
    /// Every replica gets a fresh [`MemoryStore`] of its own: the stateful anti-pattern.
    PerReplica,
}

impl StoreMode {
    fn store_for_new_replica(&self) -> Arc<dyn SessionStore> {
        match self {
            StoreMode::Shared(store) => store.clone(),
            StoreMode::PerReplica => MemoryStore::shared(),
        }
    }
}

/// The busy time seen at the last utilization sample, per replica id.
struct Sample {
    at: Instant,
    busy_nanos: HashMap<usize, u128>,
}

/// A set of interchangeable replicas behind a [`RoundRobin`].
pub struct ReplicaPool {
    config: ReplicaConfig,
    stores: StoreMode,
    backends: Arc<RoundRobin>,
    replicas: Mutex<Vec<Replica>>,
    next_id: Mutex<usize>,
    last_sample: Mutex<Sample>,
    /// The counters of every replica this pool ever started, stopped ones included.
    every_replica: Mutex<Vec<Arc<ReplicaStats>>>,
}

impl ReplicaPool {
    /// An empty pool; [`scale_to`](Self::scale_to) starts replicas.
    pub fn new(config: ReplicaConfig, stores: StoreMode, backends: Arc<RoundRobin>) -> Self {
        ReplicaPool {
            config,
            stores,
            backends,
            replicas: Mutex::new(Vec::new()),
            next_id: Mutex::new(1),
            last_sample: Mutex::new(Sample {
                at: Instant::now(),
                busy_nanos: HashMap::new(),
            }),
            every_replica: Mutex::new(Vec::new()),
        }
    }

    /// The capacity model every replica of this pool runs with.
    pub fn config(&self) -> ReplicaConfig {
        self.config
    }

    /// The running replicas' addresses, in start order.
    pub fn addrs(&self) -> Vec<std::net::SocketAddr> {
        self.replicas.lock().iter().map(Replica::addr).collect()
    }

    /// `/work` requests completed by every replica this pool ever ran.
    pub fn served(&self) -> u64 {
        self.every_replica.lock().iter().map(|s| s.served()).sum()
    }

    /// The most requests any replica ever served at once.
    pub fn peak_in_flight(&self) -> usize {
        let replicas = self.replicas.lock();
        replicas
            .iter()
            .map(|r| r.stats().peak_in_flight())
            .max()
            .unwrap_or(0)
    }

    // ANCHOR: scale_to
    /// Start or stop replicas until `target` are running.
    ///
    /// Scaling out: start the replica, *then* add it to the front, so no request reaches a
    /// socket that is not yet serving. Scaling in: remove it from the front, *then* stop it,
    /// letting its requests in flight finish (draining). Newest replicas leave first.
    ///
    /// # Errors
    ///
    /// [`Error::Bind`] if a new replica cannot get a socket; the replicas started before the
    /// failure keep running.
    pub async fn scale_to(&self, target: usize) -> Result<(), Error> {
        while self.len() < target {
            let id = {
                let mut next = self.next_id.lock();
                *next += 1;
                *next - 1
            };
            let replica =
                Replica::start(id, self.config, self.stores.store_for_new_replica()).await?;
            self.every_replica.lock().push(replica.stats().clone());
            self.backends.add(replica.addr());
            self.replicas.lock().push(replica);
        }
        loop {
            let leaving = {
                let mut replicas = self.replicas.lock();
                if replicas.len() <= target {
                    break;
                }
                replicas.pop()
            };
            if let Some(replica) = leaving {
                self.backends.remove(replica.addr());
                replica.stop().await;
            }
        }
        Ok(())
    }
    // ANCHOR_END: scale_to

    /// How many replicas are running.
    pub fn len(&self) -> usize {
        self.replicas.lock().len()
    }

    /// Whether no replica is running.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    // ANCHOR: utilization
    /// The mean busy fraction of the running replicas since the last call, from 0.0 to 1.0.
    ///
    /// For each replica: busy time added since the last sample / (elapsed time × slots). This
    /// is what a CPU utilization metric measures for a pod: the share of its capacity that was
    /// doing work. It can never exceed 1.0, so a saturated pool reads 1.0 however long its
    /// queue is: the metric says "full", never "how much more is needed".
    pub fn utilization(&self) -> f64 {
        let now = Instant::now();
        let replicas = self.replicas.lock();
        let mut last = self.last_sample.lock();
        let elapsed = now.duration_since(last.at).as_nanos();
        let slots = self.config.concurrency as u128;
        let mut total = 0.0;
        let mut busy_now = HashMap::new();
        for replica in replicas.iter() {
            let busy = replica.stats().busy().as_nanos();
            let before = last.busy_nanos.get(&replica.id()).copied().unwrap_or(0);
            if elapsed > 0 {
                total += (busy.saturating_sub(before) as f64 / (elapsed * slots) as f64).min(1.0);
            }
            busy_now.insert(replica.id(), busy);
        }
        *last = Sample {
            at: now,
            busy_nanos: busy_now,
        };
        if replicas.is_empty() {
            0.0
        } else {
            total / replicas.len() as f64
        }
    }
    // ANCHOR_END: utilization

    /// Stop every replica (draining each).
    pub async fn shutdown(&self) {
        // Scaling to zero cannot fail: it starts nothing.
        let _ = self.scale_to(0).await;
    }
}

impl ScaleTarget for ReplicaPool {
    fn replicas(&self) -> usize {
        self.len()
    }

    fn utilization(&self) -> f64 {
        ReplicaPool::utilization(self)
    }

    async fn scale_to(&self, replicas: usize) -> Result<(), Error> {
        ReplicaPool::scale_to(self, replicas).await
    }
}
