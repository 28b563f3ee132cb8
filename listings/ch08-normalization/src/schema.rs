//! The SQLite schema: four tables in third normal form, the denormalized read model, the
//! triggers that keep it in sync, and the two ways to answer "this customer's orders".
//!
//! The SQL that both databases accept (the queries) is shared with [`crate::postgres`]; the DDL
//! differs only where the dialects do (identity columns, trigger syntax).

// ANCHOR: normalized_schema
/// Third normal form: every non-key column depends on the key, the whole key, and nothing but
/// the key. Each fact lives in exactly one row.
pub const NORMALIZED_SCHEMA: &str = "
PRAGMA foreign_keys = ON;
CREATE TABLE customers (
    id    INTEGER PRIMARY KEY,
    name  TEXT NOT NULL,
    email TEXT NOT NULL UNIQUE
);
CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    sku         TEXT NOT NULL UNIQUE,
    name        TEXT NOT NULL,
    price_cents INTEGER NOT NULL CHECK (price_cents >= 0)
);
CREATE TABLE orders (
    id          INTEGER PRIMARY KEY,
    customer_id INTEGER NOT NULL REFERENCES customers (id)
);
CREATE INDEX orders_by_customer ON orders (customer_id);
CREATE TABLE order_lines (
    order_id         INTEGER NOT NULL REFERENCES orders (id),
    product_id       INTEGER NOT NULL REFERENCES products (id),
    quantity         INTEGER NOT NULL CHECK (quantity > 0),
    unit_price_cents INTEGER NOT NULL, -- the price charged: a fact about this line
    PRIMARY KEY (order_id, product_id)
);";
// ANCHOR_END: normalized_schema

// ANCHOR: read_model
/// The read model: one row per order with everything an order list shows, copied from three
/// tables. No foreign keys: it is a derived copy, rebuilt or maintained, never the truth.
pub const READ_MODEL_SCHEMA: &str = "
CREATE TABLE order_summary (
    order_id       INTEGER PRIMARY KEY,
    customer_id    INTEGER NOT NULL,
    customer_name  TEXT NOT NULL,
    customer_email TEXT NOT NULL,
    line_count     INTEGER NOT NULL,
    total_cents    INTEGER NOT NULL
);
CREATE INDEX order_summary_by_customer ON order_summary (customer_id);";
// ANCHOR_END: read_model

// ANCHOR: sqlite_line_triggers
/// Keeps `order_summary` in sync with `orders` and `order_lines`, inside the writing statement's
/// own transaction. Totals move by deltas: one indexed `UPDATE` per line written.
pub const ORDER_TRIGGERS: &str = "
CREATE TRIGGER order_summary_order_insert AFTER INSERT ON orders BEGIN
    INSERT INTO order_summary
    SELECT NEW.id, c.id, c.name, c.email, 0, 0 FROM customers c WHERE c.id = NEW.customer_id;
END;
CREATE TRIGGER order_summary_order_delete AFTER DELETE ON orders BEGIN
    DELETE FROM order_summary WHERE order_id = OLD.id;
END;
CREATE TRIGGER order_summary_line_insert AFTER INSERT ON order_lines BEGIN
    UPDATE order_summary SET line_count = line_count + 1,
        total_cents = total_cents + NEW.quantity * NEW.unit_price_cents
    WHERE order_id = NEW.order_id;
END;
CREATE TRIGGER order_summary_line_delete AFTER DELETE ON order_lines BEGIN
    UPDATE order_summary SET line_count = line_count - 1,
        total_cents = total_cents - OLD.quantity * OLD.unit_price_cents
    WHERE order_id = OLD.order_id;
END;
CREATE TRIGGER order_summary_line_update AFTER UPDATE ON order_lines BEGIN
    UPDATE order_summary SET line_count = line_count - 1,
        total_cents = total_cents - OLD.quantity * OLD.unit_price_cents
    WHERE order_id = OLD.order_id;
    UPDATE order_summary SET line_count = line_count + 1,
        total_cents = total_cents + NEW.quantity * NEW.unit_price_cents
    WHERE order_id = NEW.order_id;
END;";
// ANCHOR_END: sqlite_line_triggers

// ANCHOR: sqlite_customer_triggers
/// The fan-out: one customer row changes, every one of their summary rows is rewritten. This is
/// the write amplification a denormalized copy costs.
pub const CUSTOMER_TRIGGERS: &str = "
CREATE TRIGGER order_summary_customer_update AFTER UPDATE OF name, email ON customers BEGIN
    UPDATE order_summary SET customer_name = NEW.name, customer_email = NEW.email
    WHERE customer_id = NEW.id;
END;
CREATE TRIGGER order_summary_order_moved AFTER UPDATE OF customer_id ON orders BEGIN
    UPDATE order_summary SET customer_id = NEW.customer_id,
        customer_name = (SELECT name FROM customers WHERE id = NEW.customer_id),
        customer_email = (SELECT email FROM customers WHERE id = NEW.customer_id)
    WHERE order_id = NEW.id;
END;";
// ANCHOR_END: sqlite_customer_triggers

// ANCHOR: queries
/// Every order's summary, computed from the normalized tables: three tables, two joins, and a
/// `GROUP BY` over the lines. Both SQLite and PostgreSQL run this text.
pub const ALL_SUMMARIES_BY_JOIN: &str = "
SELECT o.id, c.id, c.name, c.email, count(l.product_id),
       CAST(coalesce(sum(l.quantity * l.unit_price_cents), 0) AS BIGINT)
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_lines l ON l.order_id = o.id
GROUP BY o.id, c.id, c.name, c.email";

/// One customer's order list from the normalized tables.
pub const CUSTOMER_ORDERS_BY_JOIN: &str = "
SELECT o.id, c.id, c.name, c.email, count(l.product_id),
       CAST(coalesce(sum(l.quantity * l.unit_price_cents), 0) AS BIGINT)
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_lines l ON l.order_id = o.id
WHERE o.customer_id = $1
GROUP BY o.id, c.id, c.name, c.email";

/// The same order list from the read model: one table, one index range.
pub const CUSTOMER_ORDERS_FROM_READ_MODEL: &str = "
SELECT order_id, customer_id, customer_name, customer_email, line_count, total_cents
FROM order_summary
WHERE customer_id = $1";
// ANCHOR_END: queries

/// Every row of the read model, in the same column order as [`ALL_SUMMARIES_BY_JOIN`].
pub const ALL_SUMMARIES_FROM_READ_MODEL: &str = "
SELECT order_id, customer_id, customer_name, customer_email, line_count, total_cents
FROM order_summary";

// ANCHOR: rebuild
/// Recompute the whole read model from the truth: what `REFRESH MATERIALIZED VIEW` does, and
/// the only thing an unsynced copy ever gets.
pub const REBUILD_READ_MODEL: &str = "
DELETE FROM order_summary;
INSERT INTO order_summary
SELECT o.id, c.id, c.name, c.email, count(l.product_id),
       CAST(coalesce(sum(l.quantity * l.unit_price_cents), 0) AS BIGINT)
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_lines l ON l.order_id = o.id
GROUP BY o.id, c.id, c.name, c.email;";
// ANCHOR_END: rebuild

/// The application-maintained path, step 1: forget one order's summary row.
pub const DELETE_ONE_SUMMARY: &str = "DELETE FROM order_summary WHERE order_id = $1";

/// The application-maintained path, step 2: compute the order's row again from the join, so an
/// order that no longer exists simply gets no row.
pub const INSERT_ONE_SUMMARY: &str = "
INSERT INTO order_summary
SELECT o.id, c.id, c.name, c.email, count(l.product_id),
       CAST(coalesce(sum(l.quantity * l.unit_price_cents), 0) AS BIGINT)
FROM orders o
JOIN customers c ON c.id = o.customer_id
LEFT JOIN order_lines l ON l.order_id = o.id
WHERE o.id = $1
GROUP BY o.id, c.id, c.name, c.email";
