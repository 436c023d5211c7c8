//! Case conversions for generated identifiers.

/// `user_display_name` → `UserDisplayName`; `IN_SERVICE` → `InService`.
pub fn camel(snake: &str) -> String {
    snake
        .split('_')
        .filter(|s| !s.is_empty())
        .map(|part| {
            let lower = part.to_ascii_lowercase();
            let mut chars = lower.chars();
            match chars.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + chars.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

/// `user_display_name` → `userDisplayName`.
pub fn lower_camel(snake: &str) -> String {
    let c = camel(snake);
    let mut chars = c.chars();
    match chars.next() {
        Some(first) => first.to_ascii_lowercase().to_string() + chars.as_str(),
        None => c,
    }
}

/// `AddUser` → `add_user`; `GetACDState` → `get_acd_state`.
pub fn snake(camel: &str) -> String {
    let chars: Vec<char> = camel.chars().collect();
    let mut out = String::with_capacity(camel.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c.is_ascii_uppercase() {
            let prev_lower =
                i > 0 && (chars[i - 1].is_ascii_lowercase() || chars[i - 1].is_ascii_digit());
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_ascii_lowercase());
            let prev_upper = i > 0 && chars[i - 1].is_ascii_uppercase();
            if i > 0 && (prev_lower || (prev_upper && next_lower)) {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// The name of a list method's auto-pager in every binding: `GetUsers` → `iter_users`.
pub fn pager_name(method: &str) -> String {
    let noun = method
        .strip_prefix("Get")
        .or_else(|| method.strip_prefix("List"))
        .unwrap_or(method);
    format!("iter_{}", snake(noun))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conversions() {
        assert_eq!(camel("user_display_name"), "UserDisplayName");
        assert_eq!(camel("IN_SERVICE"), "InService");
        assert_eq!(lower_camel("acd_queue_id"), "acdQueueId");
        assert_eq!(snake("AddUser"), "add_user");
        assert_eq!(snake("TransferMoneyToUser"), "transfer_money_to_user");
        assert_eq!(snake("GetACDState"), "get_acd_state");
    }
}
