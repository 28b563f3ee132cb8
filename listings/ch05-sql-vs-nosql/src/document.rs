//! The document backend: the same application on a key-value store, modelled the NoSQL way.
//!
//! - Each user and each order is one **JSON document** under its own key.
//! - An order document **embeds a copy** of its customer's name and email (denormalised), so
//!   "order with user details" is one `GET`, with no join, but changing an email means
//!   rewriting every order that copied it.
//! - There is no query planner and no `WHERE` clause. Every question other than "get by key" is
//!   answered by a **secondary index** that we maintain by hand, in the same atomic batch as the
//!   document it points at: a sorted set per user and per status, scored by creation time.
//! - Multi-key changes are one [`KvStore::apply`] batch with conditions (checked, then applied,
//!   atomically), retried on conflict: what Redis `WATCH`/`MULTI`/`EXEC` or a DynamoDB
//!   `TransactWriteItems` with condition expressions give you. [`WriteMode::TwoStep`] turns
//!   that off, to show what happens without it.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::Error;
use crate::kv::{Check, KvStore, Write};
use crate::meter::Meter;
use crate::model::{NewOrder, Order, OrderId, OrderWithUser, Status, Timestamp, User, UserId};
use crate::repository::Repository;

/// How many times an optimistic write is retried when another writer got there first.
const ATTEMPTS: u32 = 8;

// ANCHOR: documents
/// The user document: the user, and how many orders have copied it. Every order placed bumps
/// `orders`, so a concurrent email change (which checks this document is unchanged) notices
/// the new copy and retries instead of missing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UserDocument {
    #[serde(flatten)]
    pub user: User,
    pub orders: u64,
}

/// The order document: the order, with a copy of the customer embedded in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OrderDocument {
    #[serde(flatten)]
    pub order: Order,
    pub customer: Customer,
}

/// The denormalised copy of a user inside each of their orders.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Customer {
    pub name: String,
    pub email: String,
}
// ANCHOR_END: documents

/// The key design, in one place. Every key starts with the repository's prefix, so tests and
/// the demo can share one Redis and delete exactly what they created.
#[derive(Debug, Clone)]
pub struct Keys {
    prefix: String,
}

impl Keys {
    pub fn user(&self, id: UserId) -> String {
        format!("{}user:{id}", self.prefix)
    }
    pub fn order(&self, id: OrderId) -> String {
        format!("{}order:{id}", self.prefix)
    }
    pub fn stock(&self, sku: &str) -> String {
        format!("{}stock:{sku}", self.prefix)
    }
    /// Sorted set of a user's order ids, scored by creation time.
    pub fn orders_of_user(&self, id: UserId) -> String {
        format!("{}user:{id}:orders", self.prefix)
    }
    /// Sorted set of the ids of orders in `status`, scored by creation time.
    pub fn orders_in_status(&self, status: Status) -> String {
        format!("{}status:{}:orders", self.prefix, status.as_str())
    }
    /// Any other key under this prefix, for indexes added from outside (exercise 5).
    pub fn named(&self, name: &str) -> String {
        format!("{}{name}", self.prefix)
    }
}

/// An order id as a sorted-set member, zero-padded so that byte order (how Redis breaks score
/// ties) is numeric order: `"00000000000000000009"` sorts before `"00000000000000000010"`.
pub fn member(id: OrderId) -> String {
    format!("{id:020}")
}

// ANCHOR: secondary_index
/// A secondary index over orders, kept up to date by hand. Given an order before a change
/// (`None` when it is new) and after it, an index returns the writes that keep it right; the
/// repository applies them in the same atomic batch as the order document itself.
pub trait SecondaryIndex: Send + Sync {
    fn writes(&self, keys: &Keys, before: Option<&Order>, after: &Order) -> Vec<Write>;
}
// ANCHOR_END: secondary_index

/// "A user's orders, newest first": one sorted set per user. Orders never change owner, so
/// only a new order writes to it.
pub struct OrdersByUser;

impl SecondaryIndex for OrdersByUser {
    fn writes(&self, keys: &Keys, before: Option<&Order>, after: &Order) -> Vec<Write> {
        match before {
            Some(_) => Vec::new(),
            None => vec![Write::ZAdd {
                key: keys.orders_of_user(after.user_id),
                score: score(after.created_at),
                member: member(after.id),
            }],
        }
    }
}

// ANCHOR: orders_by_status
/// "Orders in a status within a date range": one sorted set per status. A status change must
/// remove the order from its old set as well as add it to the new one, or the index lies.
pub struct OrdersByStatus;

impl SecondaryIndex for OrdersByStatus {
    fn writes(&self, keys: &Keys, before: Option<&Order>, after: &Order) -> Vec<Write> {
        let mut writes = Vec::new();
        if let Some(before) = before {
            if before.status == after.status {
                return writes;
            }
            writes.push(Write::ZRem {
                key: keys.orders_in_status(before.status),
                member: member(before.id),
            });
        }
        writes.push(Write::ZAdd {
            key: keys.orders_in_status(after.status),
            score: score(after.created_at),
            member: member(after.id),
        });
        writes
    }
}
// ANCHOR_END: orders_by_status

/// Timestamps are scores; ours fit in an `i64` (and in a Redis score's exact integer range).
fn score(at: Timestamp) -> i64 {
    i64::try_from(at).unwrap_or(i64::MAX)
}

/// Whether multi-key changes are one atomic batch or a sequence of separate writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WriteMode {
    /// Checks and writes in one [`KvStore::apply`]: all or nothing, no interleaving.
    Atomic,
    /// Check with a read, then one write per request, as naive code does. A crash (or a
    /// concurrent writer) between two of them leaves the store inconsistent.
    TwoStep,
}

/// [`Repository`] on any [`KvStore`], with JSON documents and hand-maintained indexes.
pub struct DocumentRepo<K> {
    kv: K,
    keys: Keys,
    mode: WriteMode,
    indexes: Vec<Arc<dyn SecondaryIndex>>,
    name: String,
}

impl<K: KvStore> DocumentRepo<K> {
    /// A repository whose keys all start with `prefix`, writing atomically, with the two
    /// indexes the app's queries need.
    pub fn new(kv: K, prefix: &str) -> Self {
        let name = format!("document ({})", kv.name());
        Self {
            kv,
            keys: Keys {
                prefix: prefix.to_owned(),
            },
            mode: WriteMode::Atomic,
            indexes: vec![Arc::new(OrdersByUser), Arc::new(OrdersByStatus)],
            name,
        }
    }

    /// The same repository with multi-key changes done as `mode` says.
    pub fn with_mode(mut self, mode: WriteMode) -> Self {
        self.mode = mode;
        if mode == WriteMode::TwoStep {
            self.name.push_str(", two-step");
        }
        self
    }

    /// The same repository maintaining one more index on every order write.
    pub fn with_index(mut self, index: impl SecondaryIndex + 'static) -> Self {
        self.indexes.push(Arc::new(index));
        self
    }

    pub fn kv(&self) -> &K {
        &self.kv
    }

    pub fn keys(&self) -> &Keys {
        &self.keys
    }

    /// "Order with user details" the *referencing* way (as in MongoDB's references or a
    /// normalised KV design): read the order, then read the user it points at. Two round trips,
    /// always the current email, no copies to keep in step.
    pub async fn order_then_user(&self, id: OrderId) -> Result<Option<OrderWithUser>, Error> {
        let Some(order) = self.read_order(id).await? else {
            return Ok(None);
        };
        let Some(user) = self.read_user(order.order.user_id).await? else {
            return Ok(None);
        };
        Ok(Some(OrderWithUser {
            order: order.order,
            user_name: user.user.name,
            user_email: user.user.email,
        }))
    }

    async fn read_user(&self, id: UserId) -> Result<Option<UserDocument>, Error> {
        Ok(match self.kv.get(&self.keys.user(id)).await? {
            None => None,
            Some(json) => Some(serde_json::from_str(&json)?),
        })
    }

    async fn read_order(&self, id: OrderId) -> Result<Option<OrderDocument>, Error> {
        Ok(match self.kv.get(&self.keys.order(id)).await? {
            None => None,
            Some(json) => Some(serde_json::from_str(&json)?),
        })
    }

    /// The order documents an index returned, in the index's order.
    async fn read_orders(&self, members: &[(String, i64)]) -> Result<Vec<Order>, Error> {
        if members.is_empty() {
            return Ok(Vec::new());
        }
        let keys = order_keys(&self.keys, members)?;
        let docs = self.kv.mget(&keys).await?;
        docs.into_iter()
            .flatten() // an index entry whose document is gone is skipped, not an error
            .map(|json| Ok(serde_json::from_str::<OrderDocument>(&json)?.order))
            .collect()
    }

    fn index_writes(&self, before: Option<&Order>, after: &Order) -> Vec<Write> {
        self.indexes
            .iter()
            .flat_map(|index| index.writes(&self.keys, before, after))
            .collect()
    }

    /// Applies `writes` as this repository's [`WriteMode`] says. In two-step mode the checks
    /// must already have been made by reading; each write then goes on its own.
    async fn write(&self, checks: &[Check], writes: &[Write]) -> Result<bool, Error> {
        match self.mode {
            WriteMode::Atomic => self.kv.apply(checks, writes).await,
            WriteMode::TwoStep => {
                for write in writes {
                    self.kv.apply(&[], std::slice::from_ref(write)).await?;
                }
                Ok(true)
            }
        }
    }

    /// Why an order was refused, in the order the trait promises (product, stock, user), or
    /// `None` if nothing is wrong any more (someone restocked meanwhile: try again).
    async fn refusal(&self, new: &NewOrder, user_exists: bool) -> Result<Option<Error>, Error> {
        let stock = self.kv.get(&self.keys.stock(&new.sku)).await?;
        let available = stock.as_deref().map(|s| s.parse::<u32>().unwrap_or(0));
        Ok(match available {
            None => Some(Error::UnknownProduct(new.sku.clone())),
            Some(available) if available < new.quantity => Some(Error::OutOfStock {
                sku: new.sku.clone(),
                available,
                requested: new.quantity,
            }),
            Some(_) if !user_exists => Some(Error::UnknownUser(new.user_id)),
            Some(_) => None,
        })
    }

    async fn place(&self, new: &NewOrder, crash_after_stock: bool) -> Result<Order, Error> {
        if new.quantity == 0 {
            return Err(Error::ZeroQuantity);
        }
        for _ in 0..ATTEMPTS {
            let user_key = self.keys.user(new.user_id);
            let Some(user_json) = self.kv.get(&user_key).await? else {
                let refusal = self.refusal(new, false).await?;
                return Err(refusal.unwrap_or(Error::UnknownUser(new.user_id)));
            };
            let mut user: UserDocument = serde_json::from_str(&user_json)?;
            // ANCHOR: document_place_order
            let id = self.kv.incr(&self.keys.named("next:order")).await?;
            let order = Order {
                id,
                user_id: new.user_id,
                sku: new.sku.clone(),
                quantity: new.quantity,
                status: Status::Pending,
                created_at: new.created_at,
            };
            let document = OrderDocument {
                order: order.clone(),
                customer: Customer {
                    name: user.user.name.clone(),
                    email: user.user.email.clone(),
                },
            };
            user.orders += 1;
            let stock_key = self.keys.stock(&new.sku);
            let checks = [
                Check::AtLeast {
                    key: stock_key.clone(),
                    min: i64::from(new.quantity),
                },
                Check::Unchanged {
                    key: user_key.clone(),
                    value: user_json.clone(),
                },
            ];
            let take_stock = Write::DecrBy {
                key: stock_key,
                by: i64::from(new.quantity),
            };
            let mut rest = vec![
                Write::Set {
                    key: self.keys.order(id),
                    value: serde_json::to_string(&document)?,
                },
                Write::Set {
                    key: user_key,
                    value: serde_json::to_string(&user)?,
                },
            ];
            rest.extend(self.index_writes(None, &order));
            // ANCHOR_END: document_place_order
            // ANCHOR: document_modes
            match self.mode {
                WriteMode::Atomic => {
                    if crash_after_stock {
                        // The batch is one request: a client that dies now has sent nothing.
                        return Err(Error::InjectedCrash);
                    }
                    let mut writes = vec![take_stock];
                    writes.extend(rest);
                    if self.kv.apply(&checks, &writes).await? {
                        return Ok(order);
                    }
                    // A check failed: not enough stock, or the user changed under us.
                    let user_now = self.kv.get(&self.keys.user(new.user_id)).await?;
                    if user_now.as_deref() == Some(user_json.as_str())
                        && let Some(refusal) = self.refusal(new, true).await?
                    {
                        return Err(refusal);
                    }
                }
                WriteMode::TwoStep => {
                    // Check by reading, then write step by step. Nothing holds the two together.
                    if let Some(refusal) = self.refusal(new, true).await? {
                        return Err(refusal);
                    }
                    self.write(&[], &[take_stock]).await?;
                    if crash_after_stock {
                        return Err(Error::InjectedCrash); // stock taken, order never written
                    }
                    self.write(&[], &rest).await?;
                    return Ok(order);
                }
            }
            // ANCHOR_END: document_modes
        }
        Err(Error::Conflict(ATTEMPTS))
    }
}

impl<K: KvStore> Repository for DocumentRepo<K> {
    fn name(&self) -> &str {
        &self.name
    }

    fn meter(&self) -> &Meter {
        self.kv.meter()
    }

    async fn create_user(&self, name: &str, email: &str) -> Result<User, Error> {
        let id = self.kv.incr(&self.keys.named("next:user")).await?;
        let user = User {
            id,
            name: name.to_owned(),
            email: email.to_owned(),
        };
        let document = UserDocument {
            user: user.clone(),
            orders: 0,
        };
        let set = Write::Set {
            key: self.keys.user(id),
            value: serde_json::to_string(&document)?,
        };
        self.kv.apply(&[], &[set]).await?;
        Ok(user)
    }

    async fn add_product(&self, sku: &str, stock: u32) -> Result<(), Error> {
        let set = Write::Set {
            key: self.keys.stock(sku),
            value: stock.to_string(),
        };
        self.kv.apply(&[], &[set]).await?;
        Ok(())
    }

    async fn stock(&self, sku: &str) -> Result<Option<u32>, Error> {
        let key = self.keys.stock(sku);
        match self.kv.get(&key).await? {
            None => Ok(None),
            Some(value) => value.parse().map(Some).map_err(|_| Error::Corrupt {
                key,
                value,
                why: "stock is not a non-negative integer",
            }),
        }
    }

    async fn place_order(&self, order: &NewOrder) -> Result<Order, Error> {
        self.place(order, false).await
    }

    async fn place_order_interrupted(&self, order: &NewOrder) -> Result<(), Error> {
        self.place(order, true).await.map(|_| ())
    }

    async fn orders_for_user(&self, user: UserId) -> Result<Vec<Order>, Error> {
        let key = self.keys.orders_of_user(user);
        let mut members = self.kv.zrange_by_score(&key, i64::MIN, i64::MAX).await?;
        members.reverse(); // newest first
        self.read_orders(&members).await
    }

    // ANCHOR: document_read
    async fn order_with_user(&self, id: OrderId) -> Result<Option<OrderWithUser>, Error> {
        // One GET: the customer's details travel inside the order document.
        Ok(self.read_order(id).await?.map(|document| OrderWithUser {
            order: document.order,
            user_name: document.customer.name,
            user_email: document.customer.email,
        }))
    }
    // ANCHOR_END: document_read

    async fn orders_by_status(
        &self,
        status: Status,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Order>, Error> {
        if until <= from {
            return Ok(Vec::new());
        }
        let key = self.keys.orders_in_status(status);
        let members = self
            .kv
            .zrange_by_score(&key, score(from), score(until) - 1)
            .await?;
        self.read_orders(&members).await
    }

    async fn set_status(&self, id: OrderId, status: Status) -> Result<(), Error> {
        let key = self.keys.order(id);
        for _ in 0..ATTEMPTS {
            let Some(json) = self.kv.get(&key).await? else {
                return Err(Error::UnknownOrder(id));
            };
            let mut document: OrderDocument = serde_json::from_str(&json)?;
            let before = document.order.clone();
            document.order.status = status;
            let mut writes = vec![Write::Set {
                key: key.clone(),
                value: serde_json::to_string(&document)?,
            }];
            writes.extend(self.index_writes(Some(&before), &document.order));
            let unchanged = Check::Unchanged {
                key: key.clone(),
                value: json,
            };
            if self.write(&[unchanged], &writes).await? {
                return Ok(());
            }
        }
        Err(Error::Conflict(ATTEMPTS))
    }

    // ANCHOR: document_update_email
    async fn update_email(&self, user: UserId, email: &str) -> Result<(), Error> {
        for _ in 0..ATTEMPTS {
            let user_key = self.keys.user(user);
            let Some(user_json) = self.kv.get(&user_key).await? else {
                return Err(Error::UnknownUser(user));
            };
            let mut document: UserDocument = serde_json::from_str(&user_json)?;
            document.user.email = email.to_owned();
            let mut checks = vec![Check::Unchanged {
                key: user_key.clone(),
                value: user_json,
            }];
            let mut writes = vec![Write::Set {
                key: user_key,
                value: serde_json::to_string(&document)?,
            }];
            // Every order holds a copy of the email: find them all and rewrite each one.
            let index = self.keys.orders_of_user(user);
            let members = self.kv.zrange_by_score(&index, i64::MIN, i64::MAX).await?;
            let order_keys = order_keys(&self.keys, &members)?;
            let copies = if order_keys.is_empty() {
                Vec::new()
            } else {
                self.kv.mget(&order_keys).await?
            };
            for (key, json) in order_keys.into_iter().zip(copies) {
                let Some(json) = json else { continue };
                let mut order: OrderDocument = serde_json::from_str(&json)?;
                order.customer.email = email.to_owned();
                writes.push(Write::Set {
                    key: key.clone(),
                    value: serde_json::to_string(&order)?,
                });
                checks.push(Check::Unchanged { key, value: json });
            }
            if self.write(&checks, &writes).await? {
                return Ok(());
            }
        }
        Err(Error::Conflict(ATTEMPTS))
    }
    // ANCHOR_END: document_update_email
}

fn order_keys(keys: &Keys, members: &[(String, i64)]) -> Result<Vec<String>, Error> {
    members
        .iter()
        .map(|(member, _)| {
            member
                .parse::<OrderId>()
                .map(|id| keys.order(id))
                .map_err(|_| Error::Corrupt {
                    key: member.clone(),
                    value: member.clone(),
                    why: "index member is not an order id",
                })
        })
        .collect()
}
