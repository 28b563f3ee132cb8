//! Bulk data for the demo, the benchmarks and the plans: set-based SQL that both SQLite and
//! PostgreSQL run, so the two databases hold the same rows.

/// How much data to load into an empty shop.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Population {
    /// Customers, ids 1..=customers.
    pub customers: i64,
    /// Products, ids 1..=products (at least 3: every order has three distinct products).
    pub products: i64,
    /// Orders, spread over the customers; each gets three lines.
    pub orders: i64,
}

impl Default for Population {
    /// 1,000 customers, 50 products, 10,000 orders (30,000 lines): about 10 orders per customer.
    fn default() -> Self {
        Self {
            customers: 1_000,
            products: 50,
            orders: 10_000,
        }
    }
}

/// Customers; `$1` = how many.
pub const POPULATE_CUSTOMERS: &str = "
WITH RECURSIVE g(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM g WHERE n < $1)
INSERT INTO customers (name, email)
SELECT 'Customer ' || n, 'customer' || n || '@example.com' FROM g";

/// Products; `$1` = how many.
pub const POPULATE_PRODUCTS: &str = "
WITH RECURSIVE g(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM g WHERE n < $1)
INSERT INTO products (sku, name, price_cents)
SELECT 'SKU-' || n, 'Product ' || n, 100 + (n * 37) % 9900 FROM g";

/// Orders; `$1` = how many, `$2` = the number of customers. (SQLite numbers `$N` parameters in
/// order of first appearance, so `$1` must appear before `$2` in the text.)
pub const POPULATE_ORDERS: &str = "
WITH RECURSIVE g(n) AS (SELECT CAST(1 AS BIGINT) UNION ALL SELECT n + 1 FROM g WHERE n < $1)
INSERT INTO orders (customer_id)
SELECT 1 + (n * 7919) % $2 FROM g";

/// Three lines per order, three distinct products; `$1` = the number of products.
pub const POPULATE_LINES: &str = "
INSERT INTO order_lines (order_id, product_id, quantity, unit_price_cents)
SELECT o.id, p.id, 1 + (o.id + s.k) % 3, p.price_cents
FROM orders o
CROSS JOIN (SELECT 0 AS k UNION ALL SELECT 1 UNION ALL SELECT 2) s
JOIN products p ON p.id = 1 + (o.id + s.k) % $1";
