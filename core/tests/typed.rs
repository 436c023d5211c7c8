//! The typed API: requests built from Rust values, answers read into Rust types.

use roster_core::api::voiso::users::ListUsers;
use roster_core::api::voximplant::skills::BindSkill;
use roster_core::api::voximplant::types::AcdStatus;
use roster_core::api::voximplant::users::{AddUser, GetUsers, TransferMoneyToUser};
use roster_core::{
    ApiErrorKind, Decimal, Error, HttpResponse, IdList, Rule, VoisoClient, VoximplantAuth,
    VoximplantClient,
};

fn vox() -> VoximplantClient {
    VoximplantClient::new(
        VoximplantAuth::Token("tok".into()),
        Some("http://127.0.0.1:8080/prefix/"),
    )
    .unwrap()
}

fn form(req: &roster_core::HttpRequest) -> Vec<(String, String)> {
    req.form_params()
}

#[test]
fn add_user_request_is_a_form_post_with_only_what_was_set() {
    let req = vox()
        .prepare(
            &AddUser::new("jdoe", "John Doe", "S3cure!pass").application_name("support"),
            0,
        )
        .unwrap();
    assert_eq!(req.method.as_str(), "POST");
    assert_eq!(req.url, "http://127.0.0.1:8080/prefix/platform_api/AddUser");
    assert_eq!(
        req.header("content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(req.header("authorization"), Some("Bearer tok"));
    assert!(req.header("user-agent").unwrap().starts_with("roster/"));
    assert!(!req.url.contains('?'), "parameters never go in the URL");
    let mut body = form(&req);
    body.sort();
    assert_eq!(
        body,
        vec![
            ("application_name".into(), "support".into()),
            ("user_display_name".into(), "John Doe".into()),
            ("user_name".into(), "jdoe".into()),
            ("user_password".into(), "S3cure!pass".into()),
        ]
    );
}

#[test]
fn rules_reject_with_the_parameter_and_rule() {
    let e = vox()
        .prepare(
            &AddUser::new("JD", "John", "S3cure!pass").application_id(1),
            0,
        )
        .unwrap_err();
    let Error::Validation(v) = e else {
        panic!("{e}")
    };
    assert_eq!((v.parameter.as_str(), v.rule), ("user_name", Rule::Pattern));

    let e = vox()
        .prepare(&AddUser::new("jdoe", "John", "S3cure!pass"), 0)
        .unwrap_err();
    let Error::Validation(v) = e else {
        panic!("{e}")
    };
    assert_eq!(
        (v.parameter.as_str(), v.rule),
        ("application_id/application_name", Rule::ExactlyOne)
    );

    let amount = Decimal::new(1, 3); // 0.001
    let e = vox()
        .prepare(&TransferMoneyToUser::new(amount).user_id(IdList::All), 0)
        .unwrap_err();
    let Error::Validation(v) = e else {
        panic!("{e}")
    };
    assert_eq!((v.parameter.as_str(), v.rule), ("amount", Rule::MinAbs));
}

#[test]
fn lists_money_and_enums_on_the_wire() {
    let req = vox()
        .prepare(
            &TransferMoneyToUser::new(Decimal::new(-567, 2)).user_id([1, 2]),
            0,
        )
        .unwrap();
    let body = form(&req);
    assert!(body.contains(&("amount".into(), "-5.67".into())));
    assert!(body.contains(&("user_id".into(), "1;2".into())));

    let req = vox()
        .prepare(
            &BindSkill::new()
                .skill_id([1, 5])
                .user_id(IdList::All)
                .bind(false),
            0,
        )
        .unwrap();
    let body = form(&req);
    assert!(body.contains(&("skill_id".into(), "1;5".into())));
    assert!(body.contains(&("user_id".into(), "all".into())));
    assert!(body.contains(&("bind".into(), "false".into())));

    let req = vox()
        .prepare(
            &GetUsers::new()
                .application_id(3)
                .acd_status([AcdStatus::Ready, AcdStatus::InService])
                .with_skills(true),
            0,
        )
        .unwrap();
    let body = form(&req);
    assert!(body.contains(&("acd_status".into(), "READY;IN_SERVICE".into())));
    assert!(body.contains(&("with_skills".into(), "true".into())));
}

#[test]
fn user_list_reads_exact_money_dates_and_keeps_unknown_fields() {
    let body = r#"{"result":[{"user_id":101,"user_name":"jdoe","balance":0.1,"live_balance":15.75,
        "fixed_balance":"3.30","created":"","modified":"2024-04-20 09:15:42","user_active":1,
        "skills":[{"skill_id":1,"skill_name":"english"}],"brand_new_field":{"x":1}}],
        "total_count":1,"count":1}"#;
    let page = roster_core::parse::<GetUsers>(&HttpResponse::new(200, body)).unwrap();
    assert_eq!(page.total_count, Some(1));
    let u = &page.items[0];
    assert_eq!(u.balance.unwrap().to_string(), "0.1");
    assert_eq!(u.live_balance.unwrap().to_string(), "15.75");
    assert_eq!(u.fixed_balance.unwrap().to_string(), "3.30");
    assert_eq!(u.created, None, "an empty datetime is no value");
    assert_eq!(u.modified.unwrap().unix_timestamp(), 1_713_604_542);
    assert_eq!(u.user_active, Some(true));
    assert_eq!(
        u.skills.as_ref().unwrap()[0].skill_name.as_deref(),
        Some("english")
    );
    assert_eq!(u.extra["brand_new_field"], serde_json::json!({"x": 1}));

    let json = serde_json::to_value(&page).unwrap();
    assert_eq!(json["items"][0]["balance"], "0.1");
    assert_eq!(json["items"][0]["modified"], "2024-04-20T09:15:42Z");
    assert_eq!(json["items"][0]["brand_new_field"]["x"], 1);
}

#[test]
fn api_errors_keep_every_entry() {
    let body = r#"{"error":{"code":118,"msg":"User name is not unique","field_name":"user_name"},
        "errors":[{"code":118,"msg":"User name is not unique","field_name":"user_name"},{"code":157,"msg":"Bad display name"}]}"#;
    let e = roster_core::parse::<AddUser>(&HttpResponse::new(200, body)).unwrap_err();
    let Error::Api(a) = e else { panic!("{e}") };
    assert_eq!(a.code, 118);
    assert_eq!(a.kind, ApiErrorKind::Conflict);
    assert_eq!(a.field_name.as_deref(), Some("user_name"));
    assert_eq!(a.errors.len(), 2);
    assert_eq!(a.errors[1].code, 157);
}

#[test]
fn gateways_truncation_and_empty_answers_are_typed_errors() {
    let e = roster_core::parse::<GetUsers>(&HttpResponse::new(502, "<html>Bad Gateway</html>"))
        .unwrap_err();
    assert!(matches!(e, Error::HttpStatus { status: 502, .. }), "{e}");
    let e = roster_core::parse::<GetUsers>(&HttpResponse::new(200, r#"{"result":[{"user_id":1"#))
        .unwrap_err();
    assert_eq!(e.code(), "decode");
    let e = roster_core::parse::<AddUser>(&HttpResponse::new(200, "{}")).unwrap_err();
    assert_eq!(e.code(), "decode");
}

#[test]
fn voiso_quirks_are_read_tolerantly() {
    let body = r#"{"id":28982,"name":"AG D","employee_id":123,"assigned_teams":"3623, 2481",
        "assigned_skills":[{"name":"Skill1","value":4}],
        "assigned_channels":[{"type":"WhatsApp","name":"WA","value":9876543210}],"webrtc_ringtone":null}"#;
    let page = roster_core::parse::<ListUsers>(&HttpResponse::new(200, body)).unwrap();
    assert_eq!(page.items.len(), 1, "one object is a list of one");
    let u = &page.items[0];
    assert_eq!(u.employee_id.as_deref(), Some("123"));
    assert_eq!(
        u.assigned_teams.as_deref(),
        Some(&["3623".to_owned(), "2481".to_owned()][..])
    );
    assert_eq!(
        u.assigned_channels.as_ref().unwrap()[0].value.as_deref(),
        Some("9876543210")
    );
    assert_eq!(u.webrtc_ringtone, None);

    let e = roster_core::parse::<ListUsers>(&HttpResponse::new(
        401,
        r#"{"error":"Invalid User API Key"}"#,
    ))
    .unwrap_err();
    let Error::Api(a) = e else { panic!("{e}") };
    assert_eq!((a.kind, a.http_status), (ApiErrorKind::Auth, 401));

    let c = VoisoClient::new("key", Some("https://cluster1.voiso.com/api")).unwrap();
    let req = c.prepare(&ListUsers::new().name("AG D").id(7)).unwrap();
    assert_eq!(
        req.url,
        "https://cluster1.voiso.com/api/user_management/v1/users?id=7&name=AG+D"
    );
    assert_eq!(req.header("authorization"), Some("Bearer key"));
    assert!(req.body.is_empty());
}
