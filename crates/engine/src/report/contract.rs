//! How the report writes one registry figure (docs/metrics.md §8), and how [`FigureSet`](super::FigureSet)
//! and [`CreatorEntry`](super::CreatorEntry) are built and written from the registry's tables.

use crate::money::Currency;
use crate::registry::{Metric, MetricValue, Unit};
use serde::Serialize;

/// One figure as the report writes it (docs/metrics.md §8).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReportValue {
    /// Money rounded half away from zero to the currency's minor unit (`"1234.50"`), percent points
    /// with two decimals (`"44.75"`), or a ratio with two decimals (`"3.10"`).
    Text(String),
    /// A whole number.
    Count(i128),
    /// Yes or no.
    Flag(bool),
    /// A figure that cannot be computed (`null`).
    Null,
}

impl ReportValue {
    /// `value`, of `unit`, formatted for the contract in `currency`.
    pub fn of(unit: Unit, value: MetricValue, currency: Currency) -> ReportValue {
        match value {
            MetricValue::Amount(None) => ReportValue::Null,
            MetricValue::Amount(Some(d)) => ReportValue::Text(match unit {
                Unit::Money => currency.round(d).to_string(),
                Unit::Ratio => super::ratio(d),
                // Percent points come with their two decimals (docs/metrics.md §4).
                Unit::Percent | Unit::Count | Unit::Flag => d.to_string(),
            }),
            MetricValue::Count(n) => ReportValue::Count(n),
            MetricValue::Flag(b) => ReportValue::Flag(b),
        }
    }

    /// The decimal string of money, a percentage or a ratio.
    pub fn text(&self) -> Option<&str> {
        match self {
            ReportValue::Text(t) => Some(t),
            _ => None,
        }
    }
}

impl Serialize for ReportValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self {
            ReportValue::Text(t) => s.serialize_str(t),
            ReportValue::Count(n) => s.serialize_i128(*n),
            ReportValue::Flag(b) => s.serialize_bool(*b),
            ReportValue::Null => s.serialize_none(),
        }
    }
}

/// A typed copy of a [`ReportValue`] for the named fields of [`FigureSet`] and [`CreatorEntry`].
pub(super) trait Typed {
    fn typed(v: Option<&ReportValue>) -> Self;
}

impl Typed for String {
    fn typed(v: Option<&ReportValue>) -> Self {
        v.and_then(ReportValue::text)
            .unwrap_or_default()
            .to_string()
    }
}

impl Typed for Option<String> {
    fn typed(v: Option<&ReportValue>) -> Self {
        v.and_then(ReportValue::text).map(str::to_string)
    }
}

impl Typed for u64 {
    fn typed(v: Option<&ReportValue>) -> Self {
        match v {
            Some(ReportValue::Count(n)) => u64::try_from(*n).unwrap_or_default(),
            _ => 0,
        }
    }
}

impl Typed for i64 {
    fn typed(v: Option<&ReportValue>) -> Self {
        match v {
            Some(ReportValue::Count(n)) => i64::try_from(*n).unwrap_or_default(),
            _ => 0,
        }
    }
}

impl Typed for bool {
    fn typed(v: Option<&ReportValue>) -> Self {
        matches!(v, Some(ReportValue::Flag(true)))
    }
}

/// Builds `$ty` from `$values` (one [`ReportValue`] per entry of `registry::$table`, in its order):
/// each named field is the value of the registry entry of the same name, found when compiling (a
/// field with no entry does not compile).
macro_rules! from_registry {
    ($ty:ident { $($own:ident: $e:expr,)* } $table:ident, $values:ident; $($field:ident),* $(,)?) => {
        $ty {
            $($own: $e,)*
            $($field: Typed::typed($values.get({
                #[allow(clippy::panic)]
                const INDEX: usize = match $crate::registry::position($crate::registry::$table, stringify!($field)) {
                    Some(i) => i,
                    None => panic!(concat!("no registry entry for ", stringify!($field))),
                };
                INDEX
            })),)*
            $values,
        }
    };
}

/// Writes `values` (one per entry of `table`, in its order) under the entries' keys.
pub(super) fn write_entries<M: serde::ser::SerializeMap, T>(
    map: &mut M,
    table: &'static [Metric<T>],
    values: &[ReportValue],
) -> Result<(), M::Error> {
    for (m, v) in table.iter().zip(values) {
        map.serialize_entry(m.key, v)?;
    }
    Ok(())
}
