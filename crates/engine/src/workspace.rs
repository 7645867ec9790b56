//! The workspace document: everything the seller keeps between visits — settings, costs and what-if
//! scenarios — as one JSON file the page persists, exports and imports (issue #5 item 8, issue #8 item 6).
//!
//! **Versions.** The document carries a `schema` number ([`SCHEMA`]). [`parse`] reads every version this
//! code has written and migrates it forward:
//! - schema 1 (no `schema` field) is what the page stored under the `margin-lab.costs.v1` key: the bare
//!   JSON of a [`CostsTable`] (`{"entries": [...], "skus": [...]}`). It becomes a schema 2 workspace with
//!   those costs, default settings and no scenarios;
//! - schema 2 is [`Workspace`].
//!
//! A newer schema is refused ("made by a newer Margin Lab") rather than misread, and anything else — bad
//! JSON, an object that is neither, a value of the wrong kind, a scenario editing an input that does not
//! exist — is a [`WorkspaceError`] with the position or the names, never a panic and never a silent reset.
//!
//! **Sharing a scenario** (issue #6 item 6): [`Scenario::share_code`] packs one scenario's inputs (never
//! order data) into URL-safe text for the address's `#` part; [`Scenario::from_share_code`] reads it back
//! and refuses hostile text (bad characters, more than [`MAX_SHARE_CODE`] characters, not a scenario).

use crate::costs::CostsTable;
use crate::settings::Settings;
use crate::sort_dyn::SortDyn;
use crate::whatif::{UnitInputs, UnknownInput};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// The workspace schema this code writes.
pub const SCHEMA: u32 = 2;

/// The longest share code [`Scenario::from_share_code`] reads: 64 KiB of text.
pub const MAX_SHARE_CODE: usize = 64 * 1024;

/// The prefix of a scenario edit's target that names a product group instead of a SKU: `group:Tea`.
pub const GROUP_PREFIX: &str = "group:";

/// The prefix of a scenario edit's target that names a product the seller typed in (not in the files):
/// `custom:Mug`. Such a product lives as long as it has an entry in the scenario's edits.
pub const CUSTOM_PREFIX: &str = "custom:";

/// The edits that apply to one target, by where they come from (see [`Scenario::edits_for`]).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TargetEdits {
    /// The target's own edits.
    pub own: BTreeMap<String, Decimal>,
    /// Its product group's edits (empty for a group or a typed-in product).
    pub group: BTreeMap<String, Decimal>,
}

/// Where the value of an input of a target comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditSource {
    /// The target's own edit.
    Own,
    /// Its product group's edit (the target has none of its own).
    Group,
}

/// `baseline`, then `group`'s edits, then `own`'s: the one place where a SKU's own edit wins over its
/// group's.
fn apply_edits(
    baseline: &UnitInputs,
    group: Option<&BTreeMap<String, Decimal>>,
    own: Option<&BTreeMap<String, Decimal>>,
) -> UnitInputs {
    let mut inputs = baseline.clone();
    for (name, value) in group.into_iter().chain(own).flatten() {
        // Names are checked when set and when read, so an unknown one cannot be here.
        let _ = inputs.set(name, *value);
    }
    inputs
}

impl TargetEdits {
    /// `baseline` with the group's edits, then the target's own on top: a SKU's own edit wins over its
    /// group's (docs/metrics.md §7).
    pub fn apply(&self, baseline: &UnitInputs) -> UnitInputs {
        apply_edits(baseline, Some(&self.group), Some(&self.own))
    }

    /// Where the value of `input` comes from; `None` when it is the baseline's.
    pub fn source(&self, input: &str) -> Option<EditSource> {
        if self.own.contains_key(input) {
            Some(EditSource::Own)
        } else if self.group.contains_key(input) {
            Some(EditSource::Group)
        } else {
            None
        }
    }
}

/// Everything the seller keeps: one document, one file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Workspace {
    /// The document's schema, [`SCHEMA`] once parsed.
    pub schema: u32,
    /// Markets, fee rules, shipping, overhead, alert thresholds.
    pub settings: Settings,
    /// Unit costs and per-SKU settings.
    pub costs: CostsTable,
    /// What-if scenarios, in the order the seller made them.
    pub scenarios: Vec<Scenario>,
    /// When the page last saved it (ISO 8601, as the page writes it); `None` when never saved.
    pub saved_at: Option<String>,
    /// The shop (its key) when this is one shop's file ([`Workspace::for_shop`]); importing it merges.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shop: Option<String>,
}

impl Default for Workspace {
    /// Schema [`SCHEMA`], default settings, no costs, no scenarios.
    fn default() -> Self {
        Workspace {
            schema: SCHEMA,
            settings: Settings::default(),
            costs: CostsTable::default(),
            scenarios: Vec::new(),
            saved_at: None,
            shop: None,
        }
    }
}

impl Workspace {
    /// The part of this workspace that is one shop's, for a client's file (docs/metrics.md §10): the
    /// settings with only that shop's name, the unit costs and per-SKU settings of the SKUs it sells
    /// (`skus`: its SKU IDs and seller SKUs), and the scenarios with only the edits of those SKUs (a
    /// scenario left with no edit is dropped). Nothing of another shop's SKUs is in it.
    pub fn for_shop(&self, shop_key: &str, skus: &[String]) -> Workspace {
        let has = |sku: &str| skus.iter().any(|s| s == sku.trim());
        // Nothing of another shop: its name, its own settings, the answers about its files, its SKUs'
        // ad spend.
        let mut settings = self.settings.clone();
        settings.shop_names.retain(|n| n.key == shop_key);
        settings.shop_settings.retain(|o| o.shop == shop_key);
        settings.file_shops.retain(|a| a.shop == shop_key);
        settings.ad_spend_per_sku.retain(|(sku, _)| has(sku));
        let costs = CostsTable {
            entries: self
                .costs
                .entries
                .iter()
                .filter(|e| has(&e.sku))
                .cloned()
                .collect(),
            skus: self
                .costs
                .skus
                .iter()
                .filter(|e| has(&e.sku))
                .cloned()
                .collect(),
        };
        let scenarios = self
            .scenarios
            .iter()
            .filter_map(|sc| {
                let edits: BTreeMap<_, _> = sc
                    .edits
                    .iter()
                    .filter(|(target, _)| has(target))
                    .map(|(t, e)| (t.clone(), e.clone()))
                    .collect();
                (!edits.is_empty()).then(|| Scenario {
                    edits,
                    ..sc.clone()
                })
            })
            .collect();
        Workspace {
            schema: self.schema,
            settings,
            costs,
            scenarios,
            saved_at: self.saved_at.clone(),
            shop: Some(shop_key.to_string()),
        }
    }

    /// Takes in a workspace file (all shops, or one shop's from [`Workspace::for_shop`]) without losing
    /// what this one holds for other shops: the unit costs and per-SKU settings it names replace ours for
    /// those SKUs, its shop names replace ours for those shops, its scenarios are added (into one of the
    /// same name: its SKUs' edits replace ours for those SKUs only); our settings stay unless the file is
    /// a whole workspace (`whole`).
    pub fn merge(&mut self, other: Workspace, whole: bool) {
        if whole {
            let names = std::mem::take(&mut self.settings.shop_names);
            self.settings = other.settings.clone();
            for n in names {
                if !self.settings.shop_names.iter().any(|m| m.key == n.key) {
                    self.settings.shop_names.push(n);
                }
            }
        } else {
            // One shop's file: its name, its own settings and the answers about its files replace ours
            // for that shop.
            for n in &other.settings.shop_names {
                self.settings.shop_names.retain(|m| m.key != n.key);
                self.settings.shop_names.push(n.clone());
            }
            for o in &other.settings.shop_settings {
                self.settings.shop_settings.retain(|m| m.shop != o.shop);
                self.settings.shop_settings.push(o.clone());
            }
            for a in &other.settings.file_shops {
                self.settings.file_shops.retain(|m| m.file != a.file);
                self.settings.file_shops.push(a.clone());
            }
        }
        let (entries, skus) = (other.costs.entries, other.costs.skus);
        self.costs
            .entries
            .retain(|e| !entries.iter().any(|o| o.sku == e.sku));
        self.costs.entries.extend(entries);
        self.costs
            .skus
            .retain(|e| !skus.iter().any(|o| o.sku == e.sku));
        self.costs.skus.extend(skus);
        for sc in other.scenarios {
            match self.scenarios.iter_mut().find(|x| x.name == sc.name) {
                // The same scenario: its SKUs' edits replace ours for those SKUs; the rest stay.
                Some(ours) => {
                    for (target, edits) in sc.edits {
                        ours.edits.insert(target, edits);
                    }
                    ours.elasticity = sc.elasticity.or(ours.elasticity);
                    ours.target_cm2_pct = sc.target_cm2_pct.or(ours.target_cm2_pct);
                }
                None => self.scenarios.push(sc),
            }
        }
    }
}

/// A what-if scenario: input edits over the baseline, per SKU or per product group (docs/metrics.md §7).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scenario {
    /// The seller's name for it.
    pub name: String,
    /// Target (a SKU ID, or `group:` and a product group's name) → input name (a
    /// [`UnitInputs::NAMES`] entry) → value (percentages in percent points).
    #[serde(default)]
    pub edits: BTreeMap<String, BTreeMap<String, Decimal>>,
    /// Volume change in % per 1 % price change (docs/metrics.md §7); `None` = 0.
    #[serde(default)]
    pub elasticity: Option<Decimal>,
    /// The cm2 margin the seller aims at, percent points, for the target-price solver.
    #[serde(default)]
    pub target_cm2_pct: Option<Decimal>,
}

/// A workspace document or a share code that cannot be used.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WorkspaceError {
    /// The text is not JSON.
    #[error("the workspace file is not valid JSON (line {line}, column {column}): {message}")]
    NotJson {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON reader found.
        message: String,
    },
    /// A schema this code does not know yet.
    #[error(
        "the workspace file was made by a newer Margin Lab (schema {found}; this version reads up to schema {SCHEMA}): update Margin Lab to open it"
    )]
    Newer {
        /// The document's schema.
        found: u64,
    },
    /// JSON, but not a workspace of any version.
    #[error("the file is not a Margin Lab workspace: {0}")]
    NotAWorkspace(String),
    /// A workspace with a value of the wrong kind.
    #[error(
        "the workspace file has a value of the wrong kind (line {line}, column {column}): {message}"
    )]
    WrongShape {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the JSON reader expected.
        message: String,
    },
    /// The settings inside cannot be used.
    #[error("the workspace's settings cannot be used: {0}")]
    Settings(String),
    /// A scenario edits inputs that do not exist.
    #[error("scenario {scenario:?} edits unknown what-if inputs: {}", names.join(", "))]
    UnknownInputs {
        /// The scenario's name.
        scenario: String,
        /// The unknown input names, sorted, each once.
        names: Vec<String>,
    },
    /// A scenario edit without a SKU or group.
    #[error("scenario {scenario:?} has an edit without a SKU or product group")]
    EmptyTarget {
        /// The scenario's name.
        scenario: String,
    },
    /// A share code that cannot be read.
    #[error("the scenario link cannot be read: {0}")]
    ShareCode(String),
}

impl WorkspaceError {
    /// The message the page shows as is.
    pub fn user_message(&self) -> String {
        self.to_string()
    }

    /// `serde_json`'s message without the " at line L column C" it appends (kept apart in the fields).
    fn json_message(e: &serde_json::Error) -> String {
        let text = e.to_string();
        match text.rsplit_once(" at line ") {
            Some((message, _)) => message.to_string(),
            None => text,
        }
    }

    fn not_json(e: &serde_json::Error) -> WorkspaceError {
        WorkspaceError::NotJson {
            line: e.line(),
            column: e.column(),
            message: WorkspaceError::json_message(e),
        }
    }

    fn wrong_shape(e: &serde_json::Error) -> WorkspaceError {
        WorkspaceError::WrongShape {
            line: e.line(),
            column: e.column(),
            message: WorkspaceError::json_message(e),
        }
    }
}

/// A schema 2 document's fields besides `settings` (read apart, see [`parse`]).
#[derive(Deserialize)]
struct RawV2 {
    #[serde(default)]
    costs: CostsTable,
    #[serde(default)]
    scenarios: Vec<Scenario>,
    #[serde(default)]
    saved_at: Option<String>,
    #[serde(default)]
    shop: Option<String>,
}

/// Reads a workspace document of any schema up to [`SCHEMA`] (a leading byte order mark is allowed) and
/// migrates it to [`SCHEMA`].
///
/// # Errors
/// See [`WorkspaceError`]: not JSON (with line and column), a newer schema, not a workspace, a value of the
/// wrong kind (with line and column), unusable settings, unknown input names in a scenario.
///
/// # Examples
/// ```
/// use margin_engine::workspace::{parse, SCHEMA};
/// use rust_decimal_macros::dec;
/// // What the page stored under `margin-lab.costs.v1`: schema 1, a bare costs table.
/// let ws = parse(r#"{"entries":[{"sku":"TEA-1","effective_from":null,"unit_cost":"4.20"}],"skus":[]}"#).unwrap();
/// assert_eq!(ws.schema, SCHEMA);
/// assert_eq!(ws.costs.current_unit_cost("TEA-1", ""), Some(dec!(4.20)));
/// assert!(parse(r#"{"schema": 3}"#).unwrap_err().to_string().contains("made by a newer Margin Lab"));
/// ```
pub fn parse(json: &str) -> Result<Workspace, WorkspaceError> {
    // The text is read twice: once as a JSON value, to know its schema and to hand the settings to
    // `Settings::from_value`; once into the typed fields, so a value of the wrong kind has a position.
    let json = json.strip_prefix('\u{feff}').unwrap_or(json);
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| WorkspaceError::not_json(&e))?;
    let mut object = match value {
        serde_json::Value::Object(object) => object,
        other => {
            return Err(WorkspaceError::NotAWorkspace(format!(
                "it holds {}, not an object",
                kind_of(&other)
            )));
        }
    };
    match object.get("schema") {
        None => {
            // Schema 1: the costs table the page stored, whose fields all have defaults.
            let unknown: Vec<&str> = object
                .keys()
                .map(String::as_str)
                .filter(|k| !matches!(*k, "entries" | "skus"))
                .collect();
            if !unknown.is_empty() {
                return Err(WorkspaceError::NotAWorkspace(format!(
                    "it has no \"schema\" field and is not a saved costs table either (it has {})",
                    quoted_list(&unknown)
                )));
            }
            let costs: CostsTable =
                serde_json::from_str(json).map_err(|e| WorkspaceError::wrong_shape(&e))?;
            Ok(migrate_v1(costs))
        }
        Some(schema) => match schema.as_u64() {
            Some(n) if n > u64::from(SCHEMA) => Err(WorkspaceError::Newer { found: n }),
            Some(2) => {
                let settings = match object.remove("settings") {
                    None | Some(serde_json::Value::Null) => Settings::default(),
                    Some(v) => {
                        Settings::from_value(v).map_err(|e| WorkspaceError::Settings(e.message))?
                    }
                };
                let raw: RawV2 =
                    serde_json::from_str(json).map_err(|e| WorkspaceError::wrong_shape(&e))?;
                for scenario in &raw.scenarios {
                    scenario.validate()?;
                }
                Ok(Workspace {
                    schema: SCHEMA,
                    settings,
                    costs: raw.costs,
                    scenarios: raw.scenarios,
                    saved_at: raw.saved_at,
                    shop: raw.shop,
                })
            }
            Some(n) => Err(WorkspaceError::NotAWorkspace(format!(
                "its \"schema\" is {n}, which no Margin Lab wrote (schema 1 files have no \"schema\" field)"
            ))),
            // Described by kind, not printed: printing a JSON value costs the page a serialiser.
            None => Err(WorkspaceError::NotAWorkspace(format!(
                "its \"schema\" is {}, not a version number",
                kind_of(schema)
            ))),
        },
    }
}

/// Schema 1 → 2: the costs table, with default settings and no scenarios.
fn migrate_v1(costs: CostsTable) -> Workspace {
    Workspace {
        costs,
        ..Workspace::default()
    }
}

fn kind_of(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a true/false value",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "a string",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

fn quoted_list(names: &[&str]) -> String {
    names
        .iter()
        .map(|n| format!("{n:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The document as pretty JSON, fields in a fixed order (scenario edits sorted by target and input), so
/// the same workspace always gives the same text.
pub fn to_json(workspace: &Workspace) -> String {
    // Every map key is a string, so serialising cannot fail.
    serde_json::to_string_pretty(workspace).unwrap_or_default()
}

impl Scenario {
    /// An empty scenario called `name`.
    pub fn new(name: impl Into<String>) -> Scenario {
        Scenario {
            name: name.into(),
            ..Scenario::default()
        }
    }

    /// The edit target of a product group: `group:` and its name.
    pub fn group_target(group: &str) -> String {
        format!("{GROUP_PREFIX}{group}")
    }

    /// Sets `input` (a [`UnitInputs::NAMES`] entry) of `target` (a SKU ID or [`Scenario::group_target`]).
    ///
    /// # Examples
    /// ```
    /// use margin_engine::workspace::Scenario;
    /// use margin_engine::whatif::UnitInputs;
    /// use rust_decimal_macros::dec;
    /// let mut s = Scenario::new("Price up");
    /// s.set("1729000000000000001", "price", dec!(24.99)).unwrap();
    /// s.set(&Scenario::group_target("Tea"), "commission_pct", dec!(15)).unwrap();
    /// assert!(s.set("1729000000000000001", "prise", dec!(1)).is_err());
    /// let base = UnitInputs { price: dec!(20), ..UnitInputs::default() };
    /// let x = s.inputs_for("1729000000000000001", Some("Tea"), &base);
    /// assert_eq!((x.price, x.commission_pct), (dec!(24.99), dec!(15)));
    /// ```
    pub fn set(&mut self, target: &str, input: &str, value: Decimal) -> Result<(), UnknownInput> {
        if !UnitInputs::NAMES.contains(&input) {
            return Err(UnknownInput {
                name: input.to_string(),
            });
        }
        self.edits
            .entry(target.to_string())
            .or_default()
            .insert(input.to_string(), value);
        Ok(())
    }

    /// Removes the edit of `input` for `target` (back to the baseline); a target left without edits goes.
    pub fn clear(&mut self, target: &str, input: &str) {
        if let Some(inputs) = self.edits.get_mut(target) {
            inputs.remove(input);
            if inputs.is_empty() {
                self.edits.remove(target);
            }
        }
    }

    /// The edit target of a product typed in by the seller: `custom:` and its name.
    pub fn custom_target(name: &str) -> String {
        format!("{CUSTOM_PREFIX}{name}")
    }

    /// The names of the typed-in products ([`CUSTOM_PREFIX`] targets), sorted.
    pub fn custom_products(&self) -> Vec<String> {
        self.edits
            .keys()
            .filter_map(|k| k.strip_prefix(CUSTOM_PREFIX).map(str::to_string))
            .collect()
    }

    /// Adds a typed-in product called `name` (its baseline is [`UnitInputs::typed_product`]: one unit per
    /// order, affiliate share 100 %, everything else zero); `false` when it is already there.
    pub fn add_custom(&mut self, name: &str) -> bool {
        let target = Scenario::custom_target(name);
        if self.edits.contains_key(&target) {
            return false;
        }
        // "units_per_order" is a NAMES entry, so this cannot fail.
        let _ = self.set(&target, "units_per_order", Decimal::ONE);
        true
    }

    /// The inputs of the typed-in product called `name` under the scenario: its edits over
    /// [`UnitInputs::typed_product`] (every unit through affiliates unless a share is typed in).
    ///
    /// # Examples
    /// ```
    /// use margin_engine::workspace::Scenario;
    /// use rust_decimal_macros::dec;
    /// let mut s = Scenario::new("Launch");
    /// s.add_custom("Glow Serum");
    /// s.set(&Scenario::custom_target("Glow Serum"), "commission_pct", dec!(15)).unwrap();
    /// let x = s.custom_inputs("Glow Serum");
    /// assert_eq!((x.affiliate_share_pct, x.commission_pct, x.units_per_order), (dec!(100), dec!(15), dec!(1)));
    /// ```
    pub fn custom_inputs(&self, name: &str) -> UnitInputs {
        self.inputs_for(
            &Scenario::custom_target(name),
            None,
            &UnitInputs::typed_product(),
        )
    }

    /// Removes every SKU and group edit; the typed-in products stay.
    pub fn reset_all_skus(&mut self) {
        self.edits.retain(|k, _| k.starts_with(CUSTOM_PREFIX));
    }

    /// Sets (`Some`) or clears (`None`) one input cell of `target`, as the what-if grid does:
    /// - a value equal to the target's own `baseline` (a SKU's; `None` for a group or a typed-in
    ///   product) is no edit, so it clears the edit;
    /// - a typed-in product left without edits keeps one (`units_per_order` = 1), so it stays.
    ///
    /// # Errors
    /// [`UnknownInput`] when `input` is not a [`UnitInputs::NAMES`] entry (nothing changes).
    pub fn set_cell(
        &mut self,
        target: &str,
        baseline: Option<&UnitInputs>,
        input: &str,
        value: Option<Decimal>,
    ) -> Result<(), UnknownInput> {
        if !UnitInputs::NAMES.contains(&input) {
            return Err(UnknownInput {
                name: input.to_string(),
            });
        }
        let value =
            value.filter(|v| baseline.is_none_or(|b| b.get(input).ok().flatten() != Some(*v)));
        match value {
            Some(v) => self.set(target, input, v)?,
            None => self.clear(target, input),
        }
        if target.starts_with(CUSTOM_PREFIX) && !self.edits.contains_key(target) {
            self.set(target, "units_per_order", Decimal::ONE)?;
        }
        Ok(())
    }

    /// The edits that apply to `target` (a SKU ID, a [`Scenario::group_target`] or a
    /// [`Scenario::custom_target`]): its own and, for a SKU of product group `group`, the group's.
    /// Pass `group` only for a SKU: a group's row shows its own edits, never inherits.
    pub fn edits_for(&self, target: &str, group: Option<&str>) -> TargetEdits {
        let group = group
            .and_then(|g| self.edits.get(&Scenario::group_target(g)))
            .cloned()
            .unwrap_or_default();
        TargetEdits {
            own: self.edits.get(target).cloned().unwrap_or_default(),
            group,
        }
    }

    /// A SKU's inputs under the scenario: the baseline, then its product group's edits, then its own
    /// (a SKU's own edit wins over its group's; [`Scenario::edits_for`], [`TargetEdits::apply`]).
    pub fn inputs_for(
        &self,
        sku_id: &str,
        group: Option<&str>,
        baseline: &UnitInputs,
    ) -> UnitInputs {
        // As `edits_for(..).apply(..)`, without copying the edits (the grid projects 2,000 SKUs).
        let group_edits = group.and_then(|g| self.edits.get(&Scenario::group_target(g)));
        apply_edits(baseline, group_edits, self.edits.get(sku_id))
    }

    /// Checks every edit's input name against [`UnitInputs::NAMES`] and that every edit has a target.
    pub fn validate(&self) -> Result<(), WorkspaceError> {
        if self.edits.keys().any(|t| t.trim().is_empty()) {
            return Err(WorkspaceError::EmptyTarget {
                scenario: self.name.clone(),
            });
        }
        let mut unknown: Vec<String> = self
            .edits
            .values()
            .flat_map(BTreeMap::keys)
            .filter(|n| !UnitInputs::NAMES.contains(&n.as_str()))
            .cloned()
            .collect();
        unknown.sort_dyn();
        unknown.dedup();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(WorkspaceError::UnknownInputs {
                scenario: self.name.clone(),
                names: unknown,
            })
        }
    }

    /// The scenario's inputs as URL-safe text for a link (compact JSON in base64url without padding,
    /// RFC 4648 §5): name, edits, elasticity and target only. A scenario whose code is longer than
    /// [`MAX_SHARE_CODE`] cannot be read back (the page should say so rather than share it).
    ///
    /// # Examples
    /// ```
    /// use margin_engine::workspace::Scenario;
    /// let s = Scenario::new("A");
    /// assert_eq!(Scenario::from_share_code(&s.share_code()).unwrap(), s);
    /// ```
    pub fn share_code(&self) -> String {
        // Every map key is a string, so serialising cannot fail.
        base64url_encode(serde_json::to_string(self).unwrap_or_default().as_bytes())
    }

    /// Reads a [`Scenario::share_code`]. Surrounding whitespace and `=` padding are allowed.
    ///
    /// # Errors
    /// [`WorkspaceError::ShareCode`] for text longer than [`MAX_SHARE_CODE`], not base64url, or not a
    /// scenario; [`WorkspaceError::UnknownInputs`] for a scenario editing inputs that do not exist.
    pub fn from_share_code(code: &str) -> Result<Scenario, WorkspaceError> {
        let bad = |why: String| WorkspaceError::ShareCode(why);
        if code.len() > MAX_SHARE_CODE {
            return Err(bad(format!(
                "it is {} characters long, more than the {MAX_SHARE_CODE} a scenario link may have",
                code.len()
            )));
        }
        let code = code.trim();
        let code = code
            .strip_suffix("==")
            .or_else(|| code.strip_suffix('='))
            .unwrap_or(code);
        let bytes = base64url_decode(code).map_err(bad)?;
        // From text, not bytes: the same reader as the workspace's scenarios, so no second copy in wasm.
        let text = String::from_utf8(bytes)
            .map_err(|_| bad("it does not hold a scenario (not UTF-8 text)".to_string()))?;
        let scenario: Scenario = serde_json::from_str(&text).map_err(|e| {
            bad(format!(
                "it does not hold a scenario ({})",
                WorkspaceError::json_message(&e)
            ))
        })?;
        scenario.validate()?;
        Ok(scenario)
    }
}

/// The base64url alphabet (RFC 4648 §5).
const BASE64URL: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// base64url without padding.
fn base64url_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let byte = |i: usize| u32::from(chunk.get(i).copied().unwrap_or(0));
        let n = (byte(0) << 16) | (byte(1) << 8) | byte(2);
        // 1, 2 or 3 bytes give 2, 3 or 4 characters.
        for i in 0..=chunk.len() {
            let six = (n >> (18 - 6 * i)) & 63;
            out.push(char::from(BASE64URL[six as usize]));
        }
    }
    out
}

/// Decodes base64url without padding; refuses other characters, an impossible length and non-zero
/// leftover bits (so each byte string has exactly one code).
fn base64url_decode(text: &str) -> Result<Vec<u8>, String> {
    let mut out = Vec::with_capacity(text.len() / 4 * 3 + 2);
    let mut acc: u32 = 0;
    let mut bits = 0;
    for (i, c) in text.chars().enumerate() {
        let six = match c {
            'A'..='Z' => u32::from(c) - u32::from('A'),
            'a'..='z' => u32::from(c) - u32::from('a') + 26,
            '0'..='9' => u32::from(c) - u32::from('0') + 52,
            '-' => 62,
            '_' => 63,
            _ => {
                return Err(format!(
                    "character {} ({c:?}) is not part of a scenario link",
                    i + 1
                ));
            }
        };
        acc = (acc << 6) | six;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            // The top bits were consumed before: what is left fits in a byte.
            out.push(((acc >> bits) & 0xFF) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if text.chars().count() % 4 == 1 || acc != 0 {
        return Err("it is cut short or altered (copy the whole link)".to_string());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_matches_rfc_4648_vectors() {
        // RFC 4648 §10, padding removed; the last two are the URL-safe characters (standard "+/8=").
        for (plain, code) in [
            (&b""[..], ""),
            (b"f", "Zg"),
            (b"fo", "Zm8"),
            (b"foo", "Zm9v"),
            (b"foob", "Zm9vYg"),
            (b"fooba", "Zm9vYmE"),
            (b"foobar", "Zm9vYmFy"),
            (&[0xFB, 0xFF], "-_8"),
        ] {
            assert_eq!(base64url_encode(plain), code);
            assert_eq!(base64url_decode(code).unwrap(), plain);
        }
        for bad in ["Z", "Zm9vY", "Zh", "Zm+v", "Zm/v", "Zm9v\n", "é"] {
            assert!(base64url_decode(bad).is_err(), "{bad:?}");
        }
    }
}

#[cfg(test)]
mod shop_tests {
    use super::*;
    use crate::costs::CostEntry;
    use crate::shops::ShopName;
    use rust_decimal_macros::dec;

    fn cost(sku: &str, c: Decimal) -> CostEntry {
        CostEntry {
            sku: sku.to_string(),
            effective_from: None,
            unit_cost: c,
        }
    }

    /// Two clients in one workspace: shop A sells SKU 1001 (seller SKU MUG-A), shop B SKU 2001.
    fn two_clients() -> Workspace {
        let mut w = Workspace::default();
        w.costs.entries = vec![
            cost("1001", dec!(4)),
            cost("MUG-A", dec!(4.5)),
            cost("2001", dec!(9)),
        ];
        w.settings.shop_names = vec![
            ShopName {
                key: "1001".into(),
                name: "Acme".into(),
            },
            ShopName {
                key: "2001".into(),
                name: "Bravo".into(),
            },
        ];
        let mut sc = Scenario::new("Price test");
        sc.set("1001", "price", dec!(20)).unwrap();
        sc.set("2001", "price", dec!(30)).unwrap();
        let mut only_b = Scenario::new("B only");
        only_b.set("2001", "price", dec!(31)).unwrap();
        w.scenarios = vec![sc, only_b];
        w
    }

    #[test]
    fn a_shops_file_holds_only_its_skus_and_name() {
        let a = two_clients().for_shop("1001", &["1001".to_string(), "MUG-A".to_string()]);
        let skus: Vec<&str> = a.costs.entries.iter().map(|e| e.sku.as_str()).collect();
        assert_eq!(skus, ["1001", "MUG-A"]);
        assert_eq!(a.settings.shop_names.len(), 1);
        assert_eq!(a.settings.shop_names[0].name, "Acme");
        // "Price test" keeps only shop A's edit; "B only" has nothing of A and is left out.
        assert_eq!(a.scenarios.len(), 1);
        assert_eq!(a.scenarios[0].edits.keys().collect::<Vec<_>>(), ["1001"]);
        assert!(!to_json(&a).contains("2001"));
        // Another shop's own settings and file answers stay out; this shop's come along.
        let mut w = two_clients();
        for k in ["1001", "2001"] {
            w.settings
                .shop_settings
                .push(crate::settings::ShopSettings {
                    shop: k.into(),
                    settings: Box::default(),
                });
            w.settings.file_shops.push(crate::shops::FileShop {
                file: format!("ads_{k}.xlsx"),
                shop: k.into(),
            });
        }
        let a = w.for_shop("1001", &["1001".to_string()]);
        assert!(!to_json(&a).contains("2001"));
        assert_eq!(a.settings.shop_settings.len(), 1);
        let mut other = two_clients();
        other.merge(a, false);
        assert_eq!(other.settings.shop_settings.len(), 1);
        assert_eq!(other.settings.file_shops[0].file, "ads_1001.xlsx");
    }

    #[test]
    fn importing_a_shops_file_keeps_the_other_shops() {
        let mut w = two_clients();
        let mut a = w.for_shop("1001", &["1001".to_string(), "MUG-A".to_string()]);
        a.costs.entries = vec![cost("1001", dec!(5))];
        a.settings.shop_names[0].name = "Acme Ltd".into();
        w.merge(a, false);
        let find = |sku: &str| {
            w.costs
                .entries
                .iter()
                .find(|e| e.sku == sku)
                .map(|e| e.unit_cost)
        };
        assert_eq!(find("1001"), Some(dec!(5)));
        assert_eq!(find("2001"), Some(dec!(9)));
        assert_eq!(find("MUG-A"), Some(dec!(4.5)));
        let names: Vec<&str> = w
            .settings
            .shop_names
            .iter()
            .map(|n| n.name.as_str())
            .collect();
        assert_eq!(names, ["Bravo", "Acme Ltd"]);
        // The imported scenario of the same name brings shop A's edit; shop B's edit in it stays.
        let scenarios: Vec<&str> = w.scenarios.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(scenarios, ["Price test", "B only"]);
        assert_eq!(
            w.scenarios[0].edits.keys().collect::<Vec<_>>(),
            ["1001", "2001"]
        );
    }
}
