//! The application's data: users, products with stock, and orders.
//!
//! Every backend stores these same types; only the *shape* in storage differs (rows and foreign
//! keys in SQL, JSON documents with embedded copies in the document store).

use serde::{Deserialize, Serialize};

/// A user's id, assigned by the backend (a sequence in SQL, a counter key in the KV store).
pub type UserId = u64;
/// An order's id, assigned by the backend.
pub type OrderId = u64;
/// Seconds since an epoch the caller chooses. Passed in, never read from a clock, so that tests
/// and the demo are deterministic.
pub type Timestamp = u64;

/// A customer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct User {
    pub id: UserId,
    pub name: String,
    pub email: String,
}

/// The life cycle of an order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Status {
    Pending,
    Paid,
    Shipped,
    Cancelled,
}

impl Status {
    /// Every status, in life-cycle order.
    pub const ALL: [Status; 4] = [
        Status::Pending,
        Status::Paid,
        Status::Shipped,
        Status::Cancelled,
    ];

    /// The name stored in SQL columns and used in KV index keys.
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Pending => "pending",
            Status::Paid => "paid",
            Status::Shipped => "shipped",
            Status::Cancelled => "cancelled",
        }
    }

    /// The inverse of [`Status::as_str`]; `None` for anything else.
    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|status| status.as_str() == s)
    }
}

/// What a caller supplies to place an order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOrder {
    pub user_id: UserId,
    pub sku: String,
    pub quantity: u32,
    pub created_at: Timestamp,
}

/// A placed order. New orders start as [`Status::Pending`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Order {
    pub id: OrderId,
    pub user_id: UserId,
    pub sku: String,
    pub quantity: u32,
    pub status: Status,
    pub created_at: Timestamp,
}

/// The answer to "show this order with its customer's details": a JOIN in SQL, one document
/// with an embedded copy of the user in the document store.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrderWithUser {
    pub order: Order,
    pub user_name: String,
    pub user_email: String,
}
