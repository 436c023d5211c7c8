//! The pager against a model list that changes between pages: no item twice, and none skipped
//! that existed for the whole listing.

use std::collections::{BTreeSet, HashSet};

use proptest::prelude::*;
use roster_core::api::voximplant::skills::GetSkills;
use roster_core::api::voximplant::types::{User, UserOrder};
use roster_core::api::voximplant::users::GetUsers;
use roster_core::{Page, Pager};

/// A server's list ordered by id, as GetUsers with `order_by=user_id` returns it.
struct Model {
    ids: BTreeSet<i64>,
    next: i64,
}

impl Model {
    fn new(n: i64) -> Self {
        Self {
            ids: (1..=n).collect(),
            next: n + 1,
        }
    }

    fn page(&self, offset: usize, count: usize) -> Page<User> {
        let items = self
            .ids
            .iter()
            .skip(offset)
            .take(count)
            .map(|id| {
                let mut user = User::default();
                user.user_id = Some(*id);
                user
            })
            .collect();
        Page::new(items, Some(self.ids.len() as i64))
    }
}

fn param(params: &roster_core::wire::FormWriter, name: &str) -> usize {
    params.get(name).unwrap().parse().unwrap()
}

/// Lists every user, applying `change` to the model before each page.
fn list(model: &mut Model, page_size: i64, mut change: impl FnMut(&mut Model)) -> (Vec<i64>, u32) {
    let mut pager = Pager::typed(&GetUsers::new().application_id(1).count(page_size)).unwrap();
    let mut out = Vec::new();
    while let Some(params) = pager.next_params() {
        assert_eq!(params.get("order_by"), Some("user_id"));
        change(model);
        let page = model.page(param(&params, "offset"), param(&params, "count"));
        out.extend(
            pager
                .accept_page(page)
                .into_iter()
                .flatten()
                .map(|u| u.user_id.unwrap()),
        );
        assert!(pager.pages() < 10_000, "the pager does not terminate");
    }
    (out, pager.pages())
}

#[test]
fn a_still_list_is_listed_once_in_order() {
    let mut model = Model::new(95);
    let (ids, pages) = list(&mut model, 20, |_| {});
    assert_eq!(ids, (1..=95).collect::<Vec<_>>());
    // 20 + 19 * 4 covers 96 > 95 positions: five requests.
    assert_eq!(pages, 5);
}

#[test]
fn deletions_before_the_offset_do_not_skip_anything() {
    let mut model = Model::new(100);
    let mut round = 0;
    let (ids, _) = list(&mut model, 10, |m| {
        round += 1;
        // Before pages 2, 3 and 4 (and any page re-read), delete records of page 1, which
        // shifts every later record back by three.
        if (2..=4).contains(&round) {
            for id in (round - 2) * 3 + 1..=(round - 2) * 3 + 3 {
                m.ids.remove(&id);
            }
        }
    });
    assert_eq!(ids, (1..=100).collect::<Vec<_>>());
}

#[test]
fn insertions_do_not_repeat_anything() {
    let mut model = Model::new(50);
    let (ids, _) = list(&mut model, 7, |m| {
        let id = m.next;
        m.next += 1;
        m.ids.insert(id);
    });
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    assert!((1..=50).all(|i| unique.contains(&i)));
}

#[test]
fn another_order_chosen_by_the_caller_is_kept() {
    let request = GetUsers::new()
        .application_id(1)
        .order_by(UserOrder::UserName);
    let mut pager = Pager::typed(&request).unwrap();
    assert_eq!(
        pager.next_params().unwrap().get("order_by"),
        Some("user_name")
    );
}

#[test]
fn lists_without_an_order_parameter_page_by_their_key() {
    let mut pager = Pager::typed(&GetSkills::new()).unwrap();
    let params = pager.next_params().unwrap();
    assert_eq!(params.get("count"), Some("100"));
    assert_eq!(params.get("offset"), Some("0"));
}

#[test]
fn an_unpaged_method_is_refused() {
    let request = roster_core::api::voiso::users::ListUsers::new();
    assert_eq!(Pager::typed(&request).unwrap_err().code(), "config");
}

#[test]
fn json_pages_of_calls_by_name() {
    let info =
        roster_core::dynamic::find_method(roster_core::ApiKind::Voximplant, "GetUsers").unwrap();
    let mut pager =
        Pager::dynamic(info, serde_json::json!({"application_id": 1, "count": 2})).unwrap();
    pager.next_params().unwrap();
    let page = serde_json::json!({"items": [{"user_id": 1}, {"user_id": 2}], "total_count": 3});
    assert_eq!(pager.accept_json(page).unwrap().len(), 2);
    let next = pager.next_params().unwrap();
    assert_eq!(next.get("offset"), Some("1"));
    let page = serde_json::json!({"items": [{"user_id": 2}, {"user_id": 3}], "total_count": 3});
    let items = pager.accept_json(page);
    assert_eq!(items, Some(vec![serde_json::json!({"user_id": 3})]));
    assert!(pager.next_params().is_none());
}

#[test]
fn a_page_with_nothing_new_is_not_a_batch_and_an_error_keeps_the_place() {
    let info =
        roster_core::dynamic::find_method(roster_core::ApiKind::Voximplant, "GetUsers").unwrap();
    let mut pager =
        Pager::dynamic(info, serde_json::json!({"application_id": 1, "count": 2})).unwrap();
    let first = pager.next_params().unwrap();
    // The call failed: nothing accepted. The next request asks for the same page.
    assert_eq!(
        pager.next_params().unwrap().get("offset"),
        first.get("offset")
    );
    let page = serde_json::json!({"items": [{"user_id": 1}, {"user_id": 2}], "total_count": 9});
    assert!(pager.accept_json(page).is_some());
    pager.next_params().unwrap();
    // Only records already yielded: no batch, and the listing goes on.
    let page = serde_json::json!({"items": [{"user_id": 2}], "total_count": 9});
    assert_eq!(pager.accept_json(page), None);
    assert!(
        pager.next_params().is_none(),
        "a short page ends the listing"
    );
    // An empty first page ends it at once.
    let mut pager =
        Pager::dynamic(info, serde_json::json!({"application_id": 1, "count": 2})).unwrap();
    pager.next_params().unwrap();
    assert_eq!(
        pager.accept_json(serde_json::json!({"items": [], "total_count": 0})),
        None
    );
    assert!(pager.next_params().is_none());
}

#[derive(Debug, Clone)]
enum Change {
    DeleteAt(usize),
    Add,
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    /// Random deletions anywhere and additions at the end between pages: every survivor is
    /// listed exactly once, and nothing is listed twice.
    #[test]
    fn survivors_are_listed_exactly_once(
        initial in 0i64..120,
        page_size in 1i64..25,
        changes in prop::collection::vec(prop::collection::vec(
            prop_oneof![(0usize..200).prop_map(Change::DeleteAt), Just(Change::Add)], 0..6), 0..60),
    ) {
        let mut model = Model::new(initial);
        let original: BTreeSet<i64> = model.ids.clone();
        let mut deleted = HashSet::new();
        let mut round = 0;
        let (ids, _) = list(&mut model, page_size, |m| {
            if let Some(batch) = changes.get(round) {
                for c in batch {
                    match c {
                        Change::DeleteAt(i) if !m.ids.is_empty() => {
                            let id = *m.ids.iter().nth(i % m.ids.len()).unwrap();
                            m.ids.remove(&id);
                            deleted.insert(id);
                        }
                        Change::DeleteAt(_) => {}
                        Change::Add => {
                            let id = m.next;
                            m.next += 1;
                            m.ids.insert(id);
                        }
                    }
                }
            }
            round += 1;
        });
        let listed: HashSet<i64> = ids.iter().copied().collect();
        prop_assert_eq!(listed.len(), ids.len(), "an item was listed twice");
        for id in original.iter().filter(|id| !deleted.contains(id)) {
            prop_assert!(listed.contains(id), "survivor {} was skipped", id);
        }
    }
}
