//! The one interface every backend implements, so that one test suite can judge them all.

use crate::Error;
use crate::meter::Meter;
use crate::model::{NewOrder, Order, OrderId, OrderWithUser, Status, Timestamp, User, UserId};

// ANCHOR: repository_trait
/// The users-and-orders application's storage, whatever the database.
///
/// The methods are the app's **access patterns**: the questions it asks and the changes it
/// makes. Choosing a database is choosing which of these are cheap.
// `async fn` in a public trait: callers in this crate use it through generics, never spawn
// its futures, so the missing `Send` bound the lint warns about does not matter here.
#[allow(async_fn_in_trait)]
pub trait Repository {
    /// A short name for tables and test output, e.g. `"sqlite"`.
    fn name(&self) -> &str;
    /// What this backend has cost so far (see [`Meter`]).
    fn meter(&self) -> &Meter;

    async fn create_user(&self, name: &str, email: &str) -> Result<User, Error>;
    async fn add_product(&self, sku: &str, stock: u32) -> Result<(), Error>;
    async fn stock(&self, sku: &str) -> Result<Option<u32>, Error>;

    /// Places an order and takes its units from stock, **both or neither**: if the stock is too
    /// low, the product or the user unknown, nothing changes. When several things are wrong,
    /// the error names the first of: zero quantity, unknown product, out of stock, unknown user.
    async fn place_order(&self, order: &NewOrder) -> Result<Order, Error>;

    /// Fault injection: does what [`Repository::place_order`] does but "dies" right after the
    /// stock update and before the order is written, and returns [`Error::InjectedCrash`].
    /// What the store holds afterwards is the backend's consistency story.
    async fn place_order_interrupted(&self, order: &NewOrder) -> Result<(), Error>;

    /// A user's orders, newest first (ties: higher id first).
    async fn orders_for_user(&self, user: UserId) -> Result<Vec<Order>, Error>;
    /// One order with its customer's current name and email.
    async fn order_with_user(&self, order: OrderId) -> Result<Option<OrderWithUser>, Error>;
    /// Orders in `status` created in `[from, until)`, oldest first (ties: lower id first).
    async fn orders_by_status(
        &self,
        status: Status,
        from: Timestamp,
        until: Timestamp,
    ) -> Result<Vec<Order>, Error>;

    async fn set_status(&self, order: OrderId, status: Status) -> Result<(), Error>;
    async fn update_email(&self, user: UserId, email: &str) -> Result<(), Error>;
}
// ANCHOR_END: repository_trait
