//! The autoscaler: a loop that measures utilization and adds or removes replicas, with
//! hysteresis so that it does not flap.
//!
//! The decision is a pure function of the policy, the time of the last change, the replica
//! count, and the measured utilization ([`Autoscaler::decide`]), so tests drive it under
//! tokio's paused clock and the demo replays a noisy trace through it ([`simulate`]). The loop
//! around it ([`run`]) only samples, decides, applies, and reports.

use std::fmt;
use std::future::Future;
use std::time::Duration;

use tokio::sync::{mpsc, oneshot};
use tokio::time::{Instant, MissedTickBehavior};

use crate::Error;

/// When to scale, and how far.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Policy {
    /// Add a replica when utilization is above this (0.0 to 1.0).
    pub scale_out_above: f64,
    /// Remove a replica when utilization is below this. The gap between the two thresholds is
    /// the **hysteresis** band, where the autoscaler leaves the pool alone.
    pub scale_in_below: f64,
    /// After any change, make no other change for this long (the **cooldown**), so that the
    /// new replica's effect shows in the metric before the next decision.
    pub cooldown: Duration,
    /// Never fewer replicas than this.
    pub min_replicas: usize,
    /// Never more replicas than this.
    pub max_replicas: usize,
}

impl Default for Policy {
    /// Out above 75 %, in below 30 %, 400 ms cooldown, 1 to 4 replicas.
    fn default() -> Self {
        Policy {
            scale_out_above: 0.75,
            scale_in_below: 0.30,
            cooldown: Duration::from_millis(400),
            min_replicas: 1,
            max_replicas: 4,
        }
    }
}

impl Policy {
    /// Check the policy can work.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPolicy`] when a threshold is outside (0, 1], the scale-in threshold is
    /// above the scale-out one (every utilization would then trigger one or the other), the
    /// minimum is 0, or the minimum is above the maximum.
    pub fn validate(self) -> Result<Self, Error> {
        let in_range = |x: f64| x > 0.0 && x <= 1.0;
        if !in_range(self.scale_out_above) || !in_range(self.scale_in_below) {
            return Err(Error::InvalidPolicy(format!(
                "thresholds must be in (0, 1], got scale-out {} and scale-in {}",
                self.scale_out_above, self.scale_in_below
            )));
        }
        if self.scale_in_below > self.scale_out_above {
            return Err(Error::InvalidPolicy(format!(
                "scale-in threshold {} is above scale-out threshold {}: the pool would flap",
                self.scale_in_below, self.scale_out_above
            )));
        }
        if self.min_replicas == 0 || self.min_replicas > self.max_replicas {
            return Err(Error::InvalidPolicy(format!(
                "need 1 <= min_replicas <= max_replicas, got {} and {}",
                self.min_replicas, self.max_replicas
            )));
        }
        Ok(self)
    }
}

/// Why the autoscaler did what it did.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Reason {
    /// Utilization above the scale-out threshold: one replica added.
    AboveScaleOut,
    /// Utilization below the scale-in threshold: one replica removed.
    BelowScaleIn,
    /// Utilization inside the hysteresis band: nothing to do.
    WithinBand,
    /// A change is wanted, but the last change was too recent.
    CoolingDown {
        /// Time until the cooldown ends.
        remaining: Duration,
    },
    /// Wanted to scale out, already at `max_replicas`.
    AtMaximum,
    /// Wanted to scale in, already at `min_replicas`.
    AtMinimum,
}

/// One decision, with every input it was made from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Decision {
    /// The measured utilization.
    pub utilization: f64,
    /// The threshold the utilization was compared with (the one it crossed, or, inside the
    /// band, the scale-out one).
    pub threshold: f64,
    /// Replicas before the decision.
    pub before: usize,
    /// Replicas after it.
    pub after: usize,
    /// Why.
    pub reason: Reason,
}

impl Decision {
    /// Whether the decision changes the replica count.
    pub fn is_change(&self) -> bool {
        self.before != self.after
    }
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::AboveScaleOut => write!(f, "above scale-out threshold: add one"),
            Reason::BelowScaleIn => write!(f, "below scale-in threshold: remove one"),
            Reason::WithinBand => write!(f, "inside the band: hold"),
            Reason::CoolingDown { remaining } => {
                // Rounded up: "0 ms left" next to a hold would look like a bug.
                let ms = remaining.as_micros().div_ceil(1_000);
                write!(f, "cooldown, {ms} ms left: hold")
            }
            Reason::AtMaximum => write!(f, "at max replicas: hold"),
            Reason::AtMinimum => write!(f, "at min replicas: hold"),
        }
    }
}

/// The decision state: the policy and the time of the last change.
#[derive(Clone, Debug)]
pub struct Autoscaler {
    policy: Policy,
    last_change: Option<Instant>,
}

impl Autoscaler {
    /// An autoscaler that has made no change yet.
    ///
    /// # Errors
    ///
    /// [`Error::InvalidPolicy`] if `policy` fails [`Policy::validate`].
    pub fn new(policy: Policy) -> Result<Self, Error> {
        Ok(Autoscaler {
            policy: policy.validate()?,
            last_change: None,
        })
    }

    /// The policy in force.
    pub fn policy(&self) -> Policy {
        self.policy
    }

    // ANCHOR: decide
    /// Decide what to do at `now` with `replicas` running at `utilization`.
    ///
    /// The two thresholds are the hysteresis: after adding a replica, utilization falls by a
    /// factor n / (n + 1), and as long as it stays above `scale_in_below` the pool holds
    /// instead of shrinking straight back. The cooldown is the second guard: one step at a
    /// time, and only after the last step had time to show in the metric.
    pub fn decide(&mut self, now: Instant, replicas: usize, utilization: f64) -> Decision {
        let p = self.policy;
        let (wanted, threshold, reason) = if utilization > p.scale_out_above {
            if replicas >= p.max_replicas {
                (replicas, p.scale_out_above, Reason::AtMaximum)
            } else {
                (replicas + 1, p.scale_out_above, Reason::AboveScaleOut)
            }
        } else if utilization < p.scale_in_below {
            if replicas <= p.min_replicas {
                (replicas, p.scale_in_below, Reason::AtMinimum)
            } else {
                (replicas - 1, p.scale_in_below, Reason::BelowScaleIn)
            }
        } else {
            (replicas, p.scale_out_above, Reason::WithinBand)
        };
        let cooling = self
            .last_change
            .map(|at| p.cooldown.saturating_sub(now.duration_since(at)))
            .filter(|remaining| !remaining.is_zero());
        let (after, reason) = match cooling {
            Some(remaining) if wanted != replicas => (replicas, Reason::CoolingDown { remaining }),
            _ => (wanted, reason),
        };
        if after != replicas {
            self.last_change = Some(now);
        }
        Decision {
            utilization,
            threshold,
            before: replicas,
            after,
            reason,
        }
    }
    // ANCHOR_END: decide
}

/// What an autoscaler can scale: the [`ReplicaPool`](crate::ReplicaPool), or a simulated
/// service in tests.
pub trait ScaleTarget: Send + Sync {
    /// Replicas running now.
    fn replicas(&self) -> usize;
    /// Utilization since the last call, from 0.0 to 1.0.
    fn utilization(&self) -> f64;
    /// Start or stop replicas until `replicas` run.
    fn scale_to(&self, replicas: usize) -> impl Future<Output = Result<(), Error>> + Send;
}

// ANCHOR: run
/// The control loop: every `tick`, sample utilization, decide, apply, and report the decision
/// (with its inputs) on `decisions`. Stops when `stop` fires or is dropped.
///
/// # Errors
///
/// The target's error if a scaling step fails (for a pool: a replica that cannot bind).
pub async fn run<T: ScaleTarget>(
    target: &T,
    mut autoscaler: Autoscaler,
    tick: Duration,
    decisions: mpsc::UnboundedSender<Decision>,
    mut stop: oneshot::Receiver<()>,
) -> Result<(), Error> {
    let mut ticks = tokio::time::interval_at(Instant::now() + tick, tick);
    ticks.set_missed_tick_behavior(MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = &mut stop => return Ok(()),
            _ = ticks.tick() => {}
        }
        let decision = autoscaler.decide(Instant::now(), target.replicas(), target.utilization());
        if decision.is_change() {
            target.scale_to(decision.after).await?;
        }
        // Nobody listening is not a reason to stop scaling.
        let _ = decisions.send(decision);
    }
}
// ANCHOR_END: run

/// Replay `loads` (offered requests per second, one per tick) through `policy`, for a service
/// whose replicas each complete `capacity_per_replica` requests per second and which starts
/// with `start` replicas. Returns every tick's decision.
///
/// Utilization is modeled as offered / (replicas × capacity), capped at 1.0, exactly as the
/// busy-time metric of a real pool would read it in steady state.
///
/// # Errors
///
/// [`Error::InvalidPolicy`] if `policy` fails [`Policy::validate`].
pub fn simulate(
    policy: Policy,
    start: usize,
    capacity_per_replica: f64,
    tick: Duration,
    loads: &[f64],
) -> Result<Vec<Decision>, Error> {
    let mut autoscaler = Autoscaler::new(policy)?;
    let origin = Instant::now();
    let mut replicas = start.clamp(policy.min_replicas, policy.max_replicas);
    let mut now = origin;
    let mut out = Vec::with_capacity(loads.len());
    for &load in loads {
        now += tick;
        let utilization = modeled_utilization(load, replicas, capacity_per_replica);
        let decision = autoscaler.decide(now, replicas, utilization);
        replicas = decision.after;
        out.push(decision);
    }
    Ok(out)
}

/// Offered load over capacity, capped at 1.0: a replica cannot be more than fully busy.
pub fn modeled_utilization(load: f64, replicas: usize, capacity_per_replica: f64) -> f64 {
    if replicas == 0 || capacity_per_replica <= 0.0 {
        return 1.0;
    }
    (load / (replicas as f64 * capacity_per_replica)).clamp(0.0, 1.0)
}
