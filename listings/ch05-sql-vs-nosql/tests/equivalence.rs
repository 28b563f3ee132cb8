//! Model-based property test: random sequences of operations give the same answers on the
//! relational backend and on the document backend.

mod common;

use ch05_sql_vs_nosql::{Error, NewOrder, Order, Repository, Status};
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Op {
    CreateUser,
    Restock {
        sku: usize,
        stock: u32,
    },
    Place {
        user: usize,
        sku: usize,
        quantity: u32,
        at: u64,
    },
    SetStatus {
        order: usize,
        status: usize,
    },
    UpdateEmail {
        user: usize,
        email: u8,
    },
}

const SKUS: [&str; 3] = ["kettle", "mug", "teapot"];

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => Just(Op::CreateUser),
        1 => (0..SKUS.len(), 0u32..6).prop_map(|(sku, stock)| Op::Restock { sku, stock }),
        4 => (0usize..4, 0..SKUS.len(), 0u32..4, 0u64..20)
            .prop_map(|(user, sku, quantity, at)| Op::Place { user, sku, quantity, at }),
        2 => (0usize..8, 0..Status::ALL.len()).prop_map(|(order, status)| Op::SetStatus { order, status }),
        1 => (0usize..4, 0u8..3).prop_map(|(user, email)| Op::UpdateEmail { user, email }),
    ]
}

/// An order without its id: the two backends number orders differently (the KV store spends
/// an id even on an order that fails), so answers are compared by content and order.
fn shape(orders: Vec<Order>) -> Vec<(String, u32, Status, u64)> {
    orders
        .into_iter()
        .map(|o| (o.sku, o.quantity, o.status, o.created_at))
        .collect()
}

fn outcome<T>(result: Result<T, Error>) -> Result<(), String> {
    result.map(|_| ()).map_err(|e| format!("{e}"))
}

/// Applies `ops`, recording every answer in a form both backends must agree on.
async fn run<R: Repository>(repo: &R, ops: &[Op]) -> Vec<String> {
    let (mut users, mut orders, mut log) = (Vec::new(), Vec::new(), Vec::new());
    let user_id = |users: &Vec<u64>, i: usize| users.get(i).copied().unwrap_or(1_000 + i as u64);
    for op in ops {
        let answer = match op {
            Op::CreateUser => {
                let user = repo.create_user("U", "u@example.com").await.unwrap();
                users.push(user.id);
                "user".to_owned()
            }
            Op::Restock { sku, stock } => {
                format!("{:?}", outcome(repo.add_product(SKUS[*sku], *stock).await))
            }
            Op::Place {
                user,
                sku,
                quantity,
                at,
            } => {
                let new = NewOrder {
                    user_id: user_id(&users, *user),
                    sku: SKUS[*sku].into(),
                    quantity: *quantity,
                    created_at: *at,
                };
                let placed = repo.place_order(&new).await;
                if let Ok(order) = &placed {
                    orders.push(order.id);
                }
                format!(
                    "{:?}",
                    placed
                        .map(|o| (o.sku, o.quantity))
                        .map_err(|e| e.to_string().replace(&new.user_id.to_string(), "?"))
                )
            }
            Op::SetStatus { order, status } => match orders.get(*order) {
                Some(id) => format!(
                    "{:?}",
                    outcome(repo.set_status(*id, Status::ALL[*status]).await)
                ),
                None => "no order".to_owned(),
            },
            Op::UpdateEmail { user, email } => {
                let result = repo
                    .update_email(user_id(&users, *user), &format!("e{email}@x"))
                    .await;
                format!("{:?}", result.is_ok())
            }
        };
        log.push(answer);
    }
    for (i, id) in users.iter().enumerate() {
        log.push(format!(
            "user {i}: {:?}",
            shape(repo.orders_for_user(*id).await.unwrap())
        ));
    }
    for id in &orders {
        let found = repo.order_with_user(*id).await.unwrap().unwrap();
        log.push(format!(
            "{} {} {:?}",
            found.user_name, found.user_email, found.order.status
        ));
    }
    for status in Status::ALL {
        log.push(format!(
            "{status:?}: {:?}",
            shape(repo.orders_by_status(status, 5, 15).await.unwrap())
        ));
    }
    for sku in SKUS {
        log.push(format!("{sku}: {:?}", repo.stock(sku).await.unwrap()));
    }
    log
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn sql_and_document_backends_give_the_same_answers(ops in prop::collection::vec(op(), 1..40)) {
        let runtime = tokio::runtime::Builder::new_current_thread().build().unwrap();
        let (sql, doc) = runtime.block_on(async {
            (run(&common::sqlite(), &ops).await, run(&common::memory(), &ops).await)
        });
        prop_assert_eq!(sql, doc);
    }
}
