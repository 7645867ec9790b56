//! The workspace document: schema 1 → 2 migration from what the page stored, round trips, refusals, and
//! scenario share codes (checked against a second, independent base64url encoder written here).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use chrono::NaiveDate;
use margin_engine::costs::{CostEntry, CostsTable, SkuSettings};
use margin_engine::settings::Settings;
use margin_engine::whatif::UnitInputs;
use margin_engine::workspace::{
    MAX_SHARE_CODE, SCHEMA, Scenario, Workspace, WorkspaceError, parse, to_json,
};
use rust_decimal_macros::dec;

/// What the page stores today under `margin-lab.costs.v1` (gloo's `LocalStorage::set`, compact serde JSON
/// of a `CostsTable`), written by hand: an undated and a dated cost, a SKU's VAT/fulfilment/group.
const V1: &str = r#"{"entries":[{"sku":"1729000000000000001","effective_from":null,"unit_cost":"4.20"},{"sku":"TEA-1","effective_from":"2026-05-10","unit_cost":"5.00"}],"skus":[{"sku":"TEA-1","vat_rate":"0.20","fulfillment_per_unit":"1.10","product":"Tea"}]}"#;

fn v1_costs() -> CostsTable {
    CostsTable {
        entries: vec![
            CostEntry {
                sku: "1729000000000000001".into(),
                effective_from: None,
                unit_cost: dec!(4.20),
            },
            CostEntry {
                sku: "TEA-1".into(),
                effective_from: NaiveDate::from_ymd_opt(2026, 5, 10),
                unit_cost: dec!(5.00),
            },
        ],
        skus: vec![SkuSettings {
            sku: "TEA-1".into(),
            vat_rate: Some(dec!(0.20)),
            fulfillment_per_unit: Some(dec!(1.10)),
            product: Some("Tea".into()),
            product_id: None,
        }],
    }
}

#[test]
fn the_literal_is_what_the_page_stores() {
    // If CostsTable's serde form changes, the page's saved values change with it: this pins the v1 format.
    assert_eq!(serde_json::to_string(&v1_costs()).unwrap(), V1);
}

#[test]
fn schema_1_costs_migrate_to_schema_2() {
    let ws = parse(V1).unwrap();
    assert_eq!(
        ws,
        Workspace {
            schema: 2,
            settings: Settings::default(),
            costs: v1_costs(),
            scenarios: Vec::new(),
            saved_at: None,
            shop: None,
        }
    );
    assert_eq!(ws.costs.entries[0].unit_cost.to_string(), "4.20");
    // An empty table, pretty-printed, and with a byte order mark, are schema 1 too.
    assert_eq!(parse("{}").unwrap(), Workspace::default());
    assert_eq!(
        parse("\u{feff}{\n  \"entries\": [],\n  \"skus\": []\n}").unwrap(),
        Workspace::default()
    );
    assert_eq!(Workspace::default().schema, SCHEMA);
}

fn full() -> Workspace {
    let mut price_up = Scenario::new("Price +10 % — £");
    price_up
        .set("1729000000000000001", "price", dec!(24.90))
        .unwrap();
    price_up
        .set(&Scenario::group_target("Tea"), "commission_pct", dec!(15))
        .unwrap();
    price_up
        .set(
            &Scenario::group_target("Tea"),
            "fee_cap_per_item",
            dec!(199),
        )
        .unwrap();
    price_up.elasticity = Some(dec!(-1.5));
    price_up.target_cm2_pct = Some(dec!(20.00));
    Workspace {
        schema: SCHEMA,
        settings: Settings {
            shipping_per_order: dec!(4.50),
            restock_rate: dec!(0.8),
            ..Settings::default()
        },
        costs: v1_costs(),
        scenarios: vec![price_up, Scenario::new("Empty")],
        saved_at: Some("2026-05-18T09:30:00Z".into()),
        shop: None,
    }
}

#[test]
fn round_trip_is_exact_and_stable() {
    let ws = full();
    let text = to_json(&ws);
    let back = parse(&text).unwrap();
    assert_eq!(back, ws);
    assert_eq!(to_json(&back), text);
    // Pretty, in field order, decimals as strings with their scale.
    assert!(text.starts_with("{\n  \"schema\": 2,\n  \"settings\": {"));
    assert!(text.contains("\"price\": \"24.90\""));
    let targets: Vec<usize> = ["\"1729000000000000001\": {", "\"group:Tea\": {"]
        .iter()
        .map(|t| text.find(t).unwrap())
        .collect();
    assert!(targets[0] < targets[1], "edits sorted by target");
    // A schema 2 document may leave out what it does not use.
    assert_eq!(parse(r#"{"schema": 2}"#).unwrap(), Workspace::default());
}

#[test]
fn a_newer_schema_is_refused() {
    for text in [
        r#"{"schema": 3}"#,
        r#"{"schema": 3, "whatever": [1, 2]}"#,
        r#"{"schema": 18446744073709551615}"#,
    ] {
        let err = parse(text).unwrap_err();
        assert!(matches!(err, WorkspaceError::Newer { .. }), "{text}: {err}");
        assert!(
            err.user_message().contains("made by a newer Margin Lab"),
            "{err}"
        );
    }
}

#[test]
fn corrupt_json_says_where() {
    // Line 3 is `  "costs": [}`: two spaces, `"costs"` (columns 3–9), `:` 10, space 11, `[` 12, `}` 13.
    let err = parse("{\n  \"schema\": 2,\n  \"costs\": [}").unwrap_err();
    assert!(
        matches!(
            err,
            WorkspaceError::NotJson {
                line: 3,
                column: 13,
                ..
            }
        ),
        "{err:?}"
    );
    assert!(
        err.user_message()
            .starts_with("the workspace file is not valid JSON (line 3, column 13): "),
        "{err}"
    );
    assert!(!err.user_message().contains(" at line "), "{err}");
    for text in ["", "hello", "{\"schema\": 2", "\u{0}"] {
        assert!(
            matches!(parse(text), Err(WorkspaceError::NotJson { line: 1, .. })),
            "{text:?}"
        );
    }
}

#[test]
fn json_that_is_not_a_workspace_is_refused() {
    let cases: [(&str, &str); 6] = [
        ("[1, 2]", "it holds a list, not an object"),
        ("\"costs\"", "it holds a string"),
        (
            r#"{"schema": -2.5}"#,
            "its \"schema\" is a number, not a version number",
        ),
        (
            r#"{"orders": []}"#,
            "no \"schema\" field and is not a saved costs table either (it has \"orders\")",
        ),
        (
            r#"{"schema": "2"}"#,
            "its \"schema\" is a string, not a version number",
        ),
        (
            r#"{"schema": 1, "entries": []}"#,
            "its \"schema\" is 1, which no Margin Lab wrote",
        ),
    ];
    for (text, says) in cases {
        let err = parse(text).unwrap_err();
        assert!(matches!(err, WorkspaceError::NotAWorkspace(_)), "{text}");
        assert!(err.user_message().contains(says), "{text}: {err}");
    }
    // A value of the wrong kind, with its position: line 1, the closing quote of "abc". Counting:
    // `{"schema": 2, ` 1–14, `"costs": {` 15–24, `"entries": [{` 25–37, `"sku": "A", ` 38–49,
    // `"unit_cost": ` 50–62, `"abc"` 63–67.
    let text = r#"{"schema": 2, "costs": {"entries": [{"sku": "A", "unit_cost": "abc"}]}}"#;
    let err = parse(text).unwrap_err();
    assert!(
        matches!(
            err,
            WorkspaceError::WrongShape {
                line: 1,
                column: 67,
                ..
            }
        ),
        "{err:?}"
    );
    // A schema 1 table with a cost that is not a number.
    assert!(matches!(
        parse(r#"{"entries": [{"sku": "A", "unit_cost": true}]}"#),
        Err(WorkspaceError::WrongShape { .. })
    ));
    // Settings inside are checked as a settings file is.
    let err = parse(r#"{"schema": 2, "settings": {"restock_rate": "1.5"}}"#).unwrap_err();
    assert!(matches!(err, WorkspaceError::Settings(_)), "{err}");
    assert!(err.user_message().contains("restock_rate"), "{err}");
    let err = parse(r#"{"schema": 2, "settings": {"version": 99}}"#).unwrap_err();
    assert!(err.user_message().contains("newer"), "{err}");
}

#[test]
fn unknown_input_names_are_refused_by_name() {
    let text = r#"{"schema": 2, "scenarios": [
        {"name": "ok", "edits": {"1": {"price": "1"}}},
        {"name": "typos", "edits": {"1": {"price": "1", "zzz": "3"}, "group:Tea": {"prise": "2", "zzz": "4"}}}
    ]}"#;
    let err = parse(text).unwrap_err();
    assert_eq!(
        err,
        WorkspaceError::UnknownInputs {
            scenario: "typos".into(),
            names: vec!["prise".into(), "zzz".into()],
        }
    );
    assert_eq!(
        err.user_message(),
        "scenario \"typos\" edits unknown what-if inputs: prise, zzz"
    );
    // Every documented name is accepted.
    let mut all = Scenario::new("all");
    for name in UnitInputs::NAMES {
        all.set("1", name, dec!(1)).unwrap();
    }
    assert!(all.validate().is_ok());
    assert!(Scenario::new("x").set("1", "net_profit", dec!(1)).is_err());
    let err =
        parse(r#"{"schema": 2, "scenarios": [{"name": "e", "edits": {" ": {"price": "1"}}}]}"#)
            .unwrap_err();
    assert!(matches!(err, WorkspaceError::EmptyTarget { .. }), "{err}");
}

#[test]
fn scenario_edits_apply_group_then_sku() {
    let ws = full();
    let s = &ws.scenarios[0];
    let base = UnitInputs {
        price: dec!(20),
        commission_pct: dec!(10),
        ..UnitInputs::default()
    };
    let tea_sku = s.inputs_for("1729000000000000001", Some("Tea"), &base);
    assert_eq!(
        (
            tea_sku.price,
            tea_sku.commission_pct,
            tea_sku.fee_cap_per_item
        ),
        (dec!(24.90), dec!(15), Some(dec!(199)))
    );
    let other = s.inputs_for("2", Some("Soap"), &base);
    assert_eq!(other, base);
    // A SKU's own edit wins over its group's.
    let mut s = s.clone();
    s.set("1729000000000000001", "commission_pct", dec!(12))
        .unwrap();
    assert_eq!(
        s.inputs_for("1729000000000000001", Some("Tea"), &base)
            .commission_pct,
        dec!(12)
    );
    s.clear("1729000000000000001", "commission_pct");
    s.clear("1729000000000000001", "price");
    assert!(!s.edits.contains_key("1729000000000000001"));
}

/// base64url without padding, by way of a bit string: a second method, independent of the engine's.
fn encode(bytes: &[u8]) -> String {
    let alphabet: Vec<char> = ('A'..='Z')
        .chain('a'..='z')
        .chain('0'..='9')
        .chain(['-', '_'])
        .collect();
    let bits: String = bytes.iter().map(|b| format!("{b:08b}")).collect();
    bits.as_bytes()
        .chunks(6)
        .map(|c| {
            let mut six = String::from_utf8(c.to_vec()).unwrap();
            while six.len() < 6 {
                six.push('0');
            }
            alphabet[usize::from_str_radix(&six, 2).unwrap()]
        })
        .collect()
}

#[test]
fn share_codes_round_trip() {
    let ws = full();
    for s in &ws.scenarios {
        let code = s.share_code();
        assert!(
            code.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
            "{code}"
        );
        assert_eq!(code, encode(serde_json::to_string(s).unwrap().as_bytes()));
        let back = Scenario::from_share_code(&code).unwrap();
        assert_eq!(&back, s);
        // Padding and surrounding whitespace, as a copied link may carry.
        let padded = format!(" {code}{}\n", "=".repeat((4 - code.len() % 4) % 4));
        assert_eq!(&Scenario::from_share_code(&padded).unwrap(), s);
    }
    let back = Scenario::from_share_code(&ws.scenarios[0].share_code()).unwrap();
    assert_eq!(
        back.edits["1729000000000000001"]["price"].to_string(),
        "24.90"
    );
    // A hand-made code: {"name":"A"} leaves the rest at its defaults.
    assert_eq!(
        Scenario::from_share_code(&encode(br#"{"name":"A"}"#)).unwrap(),
        Scenario::new("A")
    );
}

#[test]
fn hostile_share_codes_are_errors_not_panics() {
    let share_error = |code: &str| match Scenario::from_share_code(code) {
        Err(WorkspaceError::ShareCode(m)) => m,
        other => panic!("{code:.40?}: {other:?}"),
    };
    assert!(share_error("!!!!").contains("character 1 ('!')"));
    assert!(share_error("abc$").contains("character 4"));
    assert!(share_error("Zm9vYmFy+/").contains("character 9"));
    assert!(share_error("é").contains("character 1"));
    assert!(share_error("A").contains("cut short"));
    assert!(share_error("Zh").contains("cut short"), "leftover bits");
    // Too long: refused before decoding.
    assert!(share_error(&"A".repeat(MAX_SHARE_CODE + 1)).contains("more than the 65536"));
    // Base64url, but not a scenario.
    for payload in [
        &b"hello"[..],
        b"",
        b"[1, 2]",
        b"{\"edits\": 5}",
        b"{\"name\": 1}",
        &[0xFF, 0xFE, 0x00],
    ] {
        assert!(
            share_error(&encode(payload)).contains("does not hold a scenario"),
            "{payload:?}"
        );
    }
    // Nesting as deep as the size cap allows: past serde_json's recursion limit where a value is read,
    // skipped without recursing where a field is ignored. Neither overflows the stack.
    let depth = MAX_SHARE_CODE / 4 * 3 / 2 - 40;
    let nested = |field: &str| {
        let json = format!(
            "{{\"name\":\"d\",\"{field}\":{}{}}}",
            "[".repeat(depth),
            "]".repeat(depth)
        );
        encode(json.as_bytes())
    };
    assert!(nested("elasticity").len() <= MAX_SHARE_CODE);
    assert!(share_error(&nested("elasticity")).contains("does not hold a scenario"));
    assert_eq!(
        Scenario::from_share_code(&nested("x")),
        Ok(Scenario::new("d"))
    );
    // A scenario with an unknown input is refused by name.
    assert_eq!(
        Scenario::from_share_code(&encode(br#"{"name":"x","edits":{"1":{"cost":"1"}}}"#)),
        Err(WorkspaceError::UnknownInputs {
            scenario: "x".into(),
            names: vec!["cost".into()],
        })
    );
    // Every truncation of a real code, and a byte changed at every position: an answer, never a panic.
    let code = full().scenarios[0].share_code();
    for len in 0..code.len() {
        let _ = Scenario::from_share_code(&code[..len]);
    }
    for i in 0..code.len() {
        for b in [b'A', b'-', b'_', b'~', b'0'] {
            let mut bytes = code.clone().into_bytes();
            bytes[i] = b;
            let _ = Scenario::from_share_code(&String::from_utf8(bytes).unwrap());
        }
    }
}
