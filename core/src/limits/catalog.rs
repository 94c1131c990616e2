//! The plan catalog: tiers, their metric limits and features, compiled once.

use std::collections::HashMap;
use std::sync::Arc;

use serde_json::Value;

use super::entitlements::{Entitlements, Overrides};
use super::fraction::Fraction;
use super::period::PeriodKind;
use crate::{Error, ErrorCode, Issue, Result};

/// The alert thresholds used when a metric names none: 80 %, 90 % and 100 %.
///
/// ```
/// assert_eq!(tenantry::limits::DEFAULT_THRESHOLDS, [0.8, 0.9, 1.0]);
/// ```
pub const DEFAULT_THRESHOLDS: [f64; 3] = [0.8, 0.9, 1.0];

/// Whether going over a limit blocks (`hard`) or is only reported (`soft`).
///
/// ```
/// use tenantry::limits::LimitKind;
/// assert_eq!(LimitKind::parse("soft"), Some(LimitKind::Soft));
/// assert_eq!(LimitKind::Hard.as_str(), "hard");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LimitKind {
    /// Requests past the limit (and past any grace) are refused.
    #[default]
    Hard,
    /// Requests past the limit are allowed and reported as `exceeded`.
    Soft,
}

impl LimitKind {
    /// Parses `hard` or `soft`.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::LimitKind::parse("firm"), None);
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "hard" => Some(LimitKind::Hard),
            "soft" => Some(LimitKind::Soft),
            _ => None,
        }
    }

    /// `hard` or `soft`.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::LimitKind::Soft.as_str(), "soft");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            LimitKind::Hard => "hard",
            LimitKind::Soft => "soft",
        }
    }
}

/// How far past a hard limit a tenant may go before being blocked.
///
/// ```
/// use tenantry::limits::Allowance;
/// assert_eq!(Allowance::Amount(500).units(10_000), 500);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Allowance {
    /// A percentage of the limit (10 = 10 %), rounded down to whole units.
    Percent(Fraction),
    /// A fixed number of units.
    Amount(u64),
}

impl Allowance {
    /// The allowance in units for a given limit.
    ///
    /// ```
    /// use tenantry::limits::{Allowance, Fraction};
    /// assert_eq!(Allowance::Percent(Fraction::from_f64(10.0).unwrap()).units(1_005), 100);
    /// ```
    pub fn units(&self, limit: u64) -> u64 {
        match self {
            Allowance::Amount(n) => *n,
            Allowance::Percent(p) => u64::try_from(p.floor_mul(limit) / 100).unwrap_or(u64::MAX),
        }
    }
}

/// A grace period for overages: an allowance past the limit, a duration from the first
/// overage, or both (then both must hold).
///
/// ```
/// use tenantry::limits::{Allowance, Grace};
/// let g = Grace { allowance: Some(Allowance::Amount(10)), duration: None };
/// assert!(g.duration.is_none());
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Grace {
    /// How far past the limit usage may go.
    pub allowance: Option<Allowance>,
    /// Seconds from the first overage during which usage past the limit is allowed.
    pub duration: Option<i64>,
}

/// One alert threshold: a fraction of the limit (0.8 = 80 %).
///
/// ```
/// let t = tenantry::limits::Threshold::new(0.9).unwrap();
/// assert_eq!(t.boundary(10), 9);
/// ```
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Threshold {
    fraction: Fraction,
}

impl Threshold {
    /// A threshold from a fraction greater than zero.
    ///
    /// ```
    /// assert!(tenantry::limits::Threshold::new(0.0).is_err());
    /// ```
    pub fn new(value: f64) -> Result<Self> {
        let fraction = Fraction::from_f64(value)?;
        if value <= 0.0 {
            return Err(Error::new(ErrorCode::InvalidInput, "a threshold must be greater than 0"));
        }
        Ok(Threshold { fraction })
    }

    /// The fraction as given (e.g. `0.8`).
    ///
    /// ```
    /// assert_eq!(tenantry::limits::Threshold::new(0.8).unwrap().value(), 0.8);
    /// ```
    pub fn value(&self) -> f64 {
        self.fraction.value()
    }

    /// The smallest usage that reaches this threshold: `ceil(fraction × limit)`.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::Threshold::new(0.8).unwrap().boundary(7), 6);
    /// ```
    pub fn boundary(&self, limit: u64) -> u128 {
        self.fraction.ceil_mul(limit)
    }

    /// The default thresholds, 0.8, 0.9 and 1.0.
    ///
    /// ```
    /// assert_eq!(tenantry::limits::Threshold::defaults().len(), 3);
    /// ```
    pub fn defaults() -> Vec<Threshold> {
        DEFAULTS.to_vec()
    }
}

/// [`DEFAULT_THRESHOLDS`] as exact fractions (8/10, 9/10, 10/10), built without parsing.
const DEFAULTS: [Threshold; 3] = [
    Threshold { fraction: Fraction::from_parts(8, 10, 0.8) },
    Threshold { fraction: Fraction::from_parts(9, 10, 0.9) },
    Threshold { fraction: Fraction::from_parts(10, 10, 1.0) },
];

/// Validates a list of thresholds (each greater than 0, strictly increasing).
///
/// ```
/// assert!(tenantry::limits::thresholds_from(&[0.5, 1.0]).is_ok());
/// assert_eq!(tenantry::limits::thresholds_from(&[1.0, 0.5]).unwrap_err().code(), "limits.invalid_config");
/// ```
pub fn thresholds_from(values: &[f64]) -> Result<Vec<Threshold>> {
    let mut out = Vec::with_capacity(values.len());
    let mut previous = 0.0;
    for (i, v) in values.iter().enumerate() {
        let t = Threshold::new(*v).map_err(|e| {
            Error::new(ErrorCode::LimitsInvalidConfig, format!("threshold {i}: {}", e.message()))
        })?;
        if i > 0 && *v <= previous {
            return Err(Error::new(
                ErrorCode::LimitsInvalidConfig,
                format!("threshold {i} ({v}) must be greater than the one before ({previous})"),
            ));
        }
        previous = *v;
        out.push(t);
    }
    Ok(out)
}

/// One metric of a plan: its limit and how it is enforced.
///
/// ```
/// use tenantry::limits::PlanCatalog;
/// let catalog = PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 5}}}"#).unwrap();
/// let seats = catalog.plan("free").unwrap().metric("seats").unwrap();
/// assert_eq!(seats.limit, Some(5));
/// assert_eq!(seats.thresholds.len(), 3);
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct MetricSpec {
    /// The metric name, e.g. `max_users`.
    pub name: String,
    /// The limit; `None` is unlimited.
    pub limit: Option<u64>,
    /// Hard (blocks) or soft (reports).
    pub kind: LimitKind,
    /// Grace for overages of a hard limit.
    pub grace: Option<Grace>,
    /// The usage period the caller counts over.
    pub period: PeriodKind,
    /// Alert thresholds, increasing.
    pub thresholds: Vec<Threshold>,
}

/// One plan (tier): its metrics, features and trial length.
///
/// ```
/// use tenantry::limits::PlanCatalog;
/// let catalog = PlanCatalog::from_json(r#"{"pro": {"limits": {}, "features": ["all"], "trial_days": 14}}"#).unwrap();
/// let pro = catalog.plan("pro").unwrap();
/// assert!(pro.has_feature("anything"));
/// assert_eq!(pro.trial_days, Some(14));
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// The plan name.
    pub name: String,
    /// The plan's metrics, in catalog order.
    pub metrics: Vec<MetricSpec>,
    index: HashMap<String, usize>,
    /// Feature names as given (may include `all`).
    pub features: Vec<String>,
    /// Length of the plan's trial in days, if it has one.
    pub trial_days: Option<u32>,
}

impl Plan {
    /// A metric by name.
    ///
    /// ```
    /// use tenantry::limits::PlanCatalog;
    /// let catalog = PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 5}}}"#).unwrap();
    /// assert!(catalog.plan("free").unwrap().metric("teams").is_none());
    /// ```
    pub fn metric(&self, name: &str) -> Option<&MetricSpec> {
        self.index.get(name).and_then(|i| self.metrics.get(*i))
    }

    /// Whether the plan includes a feature (`all` includes every feature).
    ///
    /// ```
    /// use tenantry::limits::PlanCatalog;
    /// let catalog = PlanCatalog::from_json(r#"{"free": {"limits": {}, "features": ["chat"]}}"#).unwrap();
    /// assert!(catalog.plan("free").unwrap().has_feature("chat"));
    /// assert!(!catalog.plan("free").unwrap().has_feature("sso"));
    /// ```
    pub fn has_feature(&self, name: &str) -> bool {
        self.features.iter().any(|f| f == name || f == "all")
    }
}

/// Every plan a product sells, parsed and validated once; immutable and `Send + Sync`.
///
/// The document maps plan names to plans: `limits` (metric → integer, or `null` / `-1` for
/// unlimited, or an object `{limit, kind, grace, period, thresholds}`), `features` (names, or
/// `all`) and optional `trial_days`. Every problem is reported at once as
/// `limits.invalid_catalog` with JSON Pointer paths.
///
/// ```
/// use tenantry::limits::PlanCatalog;
/// let catalog = PlanCatalog::from_json(r#"{
///   "free": {"limits": {"max_users": 5, "tokens": {"limit": 100000, "period": "month"}},
///            "features": ["basic_chat"]},
///   "enterprise": {"limits": {"max_users": -1}, "features": ["all"]}
/// }"#).unwrap();
/// let ent = catalog.entitlements("free", None, None).unwrap();
/// assert!(ent.check("max_users", 4, 1, 0, None).unwrap().allowed);
/// let err = PlanCatalog::from_json(r#"{"free": {"limits": {"max_users": -5}}}"#).unwrap_err();
/// assert_eq!(err.issues()[0].path, "/free/limits/max_users");
/// ```
#[derive(Debug, Clone)]
pub struct PlanCatalog {
    plans: Vec<Arc<Plan>>,
    index: HashMap<String, usize>,
}

impl PlanCatalog {
    /// Parses a catalog from JSON text.
    ///
    /// ```
    /// let err = tenantry::limits::PlanCatalog::from_json("{").unwrap_err();
    /// assert_eq!(err.code(), "input.invalid_json");
    /// ```
    pub fn from_json(text: &str) -> Result<Self> {
        Self::from_value(&crate::json_text::parse(text.as_bytes())?)
    }

    /// Builds a catalog from a parsed JSON document.
    ///
    /// ```
    /// let doc = serde_json::json!({"free": {"limits": {"seats": 3}}});
    /// assert!(tenantry::limits::PlanCatalog::from_value(&doc).is_ok());
    /// ```
    pub fn from_value(doc: &Value) -> Result<Self> {
        let mut issues = Vec::new();
        let Some(map) = doc.as_object() else {
            return Err(invalid_catalog(vec![Issue::new(
                "",
                "type",
                "a catalog is an object of plan name -> plan",
            )]));
        };
        if map.is_empty() {
            issues.push(Issue::new("", "min_plans", "a catalog needs at least one plan"));
        }
        let mut plans = Vec::with_capacity(map.len());
        let mut index = HashMap::with_capacity(map.len());
        for (name, plan) in map {
            let path = format!("/{}", pointer_token(name));
            if name.is_empty() {
                issues.push(Issue::new(path.clone(), "name", "a plan name must not be empty"));
            }
            if let Some(plan) = parse_plan(name, plan, &path, &mut issues) {
                index.insert(name.clone(), plans.len());
                plans.push(Arc::new(plan));
            }
        }
        if !issues.is_empty() {
            return Err(invalid_catalog(issues));
        }
        Ok(PlanCatalog { plans, index })
    }

    /// A plan by name.
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {}}}"#).unwrap();
    /// assert!(c.plan("gold").is_none());
    /// ```
    pub fn plan(&self, name: &str) -> Option<&Plan> {
        self.index.get(name).and_then(|i| self.plans.get(*i)).map(|p| p.as_ref())
    }

    /// The plan names, in catalog order.
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"free": {"limits": {}}, "pro": {"limits": {}}}"#).unwrap();
    /// assert_eq!(c.plan_names(), vec!["free", "pro"]);
    /// ```
    pub fn plan_names(&self) -> Vec<&str> {
        self.plans.iter().map(|p| p.name.as_str()).collect()
    }

    /// A tenant's effective entitlements: the plan with per-tenant overrides applied.
    ///
    /// `overrides` is `{"limits": {metric: limit-or-spec}, "features": [names]}`; an override of
    /// a known metric keeps the fields it does not name. An unknown plan is
    /// `limits.unknown_plan`; bad overrides are `limits.invalid_overrides`.
    ///
    /// ```
    /// use tenantry::limits::PlanCatalog;
    /// let c = PlanCatalog::from_json(r#"{"free": {"limits": {"seats": 5}}}"#).unwrap();
    /// let overrides = serde_json::json!({"limits": {"seats": 8}, "features": ["sso"]});
    /// let ent = c.entitlements("free", Some(&overrides), None).unwrap();
    /// assert_eq!(ent.limit("seats").unwrap(), Some(8));
    /// assert!(ent.has_feature("sso"));
    /// assert_eq!(c.entitlements("gold", None, None).unwrap_err().code(), "limits.unknown_plan");
    /// ```
    pub fn entitlements(
        &self,
        plan: &str,
        overrides: Option<&Value>,
        trial_ends_at: Option<i64>,
    ) -> Result<Entitlements> {
        let plan = self.index.get(plan).and_then(|i| self.plans.get(*i)).ok_or_else(|| {
            Error::new(
                ErrorCode::LimitsUnknownPlan,
                format!("unknown plan {plan:?}; the catalog defines {}", self.plan_names().join(", ")),
            )
        })?;
        let overrides = match overrides {
            None | Some(Value::Null) => Overrides::default(),
            Some(doc) => parse_overrides(plan, doc)?,
        };
        Ok(Entitlements::new(Arc::clone(plan), overrides, trial_ends_at))
    }

    /// When a trial of `plan` started at `started_at` ends (`None` if the plan has no trial).
    ///
    /// ```
    /// let c = tenantry::limits::PlanCatalog::from_json(r#"{"pro": {"limits": {}, "trial_days": 14}}"#).unwrap();
    /// assert_eq!(c.trial_ends_at("pro", 0).unwrap(), Some(14 * 86_400));
    /// ```
    pub fn trial_ends_at(&self, plan: &str, started_at: i64) -> Result<Option<i64>> {
        let plan = self
            .plan(plan)
            .ok_or_else(|| Error::new(ErrorCode::LimitsUnknownPlan, format!("unknown plan {plan:?}")))?;
        Ok(plan.trial_days.map(|d| started_at.saturating_add(i64::from(d) * 86_400)))
    }
}

fn invalid_catalog(issues: Vec<Issue>) -> Error {
    let first = issues.first().map(|i| format!(": {} at {:?}", i.message, i.path)).unwrap_or_default();
    Error::with_issues(
        ErrorCode::LimitsInvalidCatalog,
        format!("invalid plan catalog ({} problem(s)){first}", issues.len()),
        issues,
    )
}

/// Escapes a key for a JSON Pointer (RFC 6901).
pub(crate) fn pointer_token(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

fn parse_plan(name: &str, value: &Value, path: &str, issues: &mut Vec<Issue>) -> Option<Plan> {
    let Some(obj) = value.as_object() else {
        issues.push(Issue::new(path, "type", "a plan is an object with limits, features, trial_days"));
        return None;
    };
    for key in obj.keys() {
        if !matches!(key.as_str(), "limits" | "features" | "trial_days") {
            issues.push(Issue::new(
                format!("{path}/{}", pointer_token(key)),
                "unknown_field",
                "unknown plan field; expected limits, features or trial_days",
            ));
        }
    }
    let mut metrics = Vec::new();
    let mut index = HashMap::new();
    match obj.get("limits") {
        None | Some(Value::Null) => {}
        Some(Value::Object(limits)) => {
            for (metric, spec) in limits {
                let mpath = format!("{path}/limits/{}", pointer_token(metric));
                if metric.is_empty() {
                    issues.push(Issue::new(mpath.clone(), "name", "a metric name must not be empty"));
                }
                if let Some(spec) = parse_metric(metric, spec, None, &mpath, issues) {
                    index.insert(metric.clone(), metrics.len());
                    metrics.push(spec);
                }
            }
        }
        Some(_) => issues.push(Issue::new(
            format!("{path}/limits"),
            "type",
            "limits is an object of metric -> limit",
        )),
    }
    let features = parse_features(obj.get("features"), &format!("{path}/features"), issues);
    let trial_days = match obj.get("trial_days") {
        None | Some(Value::Null) => None,
        Some(v) => match whole_number(v).and_then(|d| u32::try_from(d).ok()).filter(|d| *d <= 36_500) {
            Some(d) => Some(d),
            None => {
                issues.push(Issue::new(
                    format!("{path}/trial_days"),
                    "trial_days",
                    "trial_days must be a whole number of days from 0 to 36500",
                ));
                None
            }
        },
    };
    Some(Plan { name: name.to_owned(), metrics, index, features, trial_days })
}

fn parse_features(value: Option<&Value>, path: &str, issues: &mut Vec<Issue>) -> Vec<String> {
    let mut out = Vec::new();
    match value {
        None | Some(Value::Null) => {}
        Some(Value::String(s)) if s == "all" => out.push(s.clone()),
        Some(Value::Array(items)) => {
            for (i, item) in items.iter().enumerate() {
                match item.as_str() {
                    Some(s) if !s.is_empty() => out.push(s.to_owned()),
                    _ => issues.push(Issue::new(
                        format!("{path}/{i}"),
                        "type",
                        "a feature is a non-empty string",
                    )),
                }
            }
        }
        Some(_) => issues.push(Issue::new(path, "type", "features is a list of names, or \"all\"")),
    }
    out
}

/// A JSON number as a whole number, if it is one: an integer, or a number written with a fraction
/// of zero (`5.0`, as a Python `float` or a JSON file may write it) that a double holds exactly.
/// JSON numbers are doubles where it counts, and in JavaScript `5.0` is `5`: a catalog in a file
/// reads the same whichever way it is loaded.
fn whole_number(value: &Value) -> Option<i128> {
    let Value::Number(n) = value else { return None };
    if let Some(i) = n.as_i64() {
        return Some(i128::from(i));
    }
    if let Some(u) = n.as_u64() {
        return Some(i128::from(u));
    }
    let f = n.as_f64()?;
    // Safe: a whole number of magnitude at most 2^53 converts exactly.
    (f.fract() == 0.0 && f.abs() <= 9_007_199_254_740_992.0).then_some(f as i128)
}

/// Parses a limit value: integer >= -1, null, or -1 for unlimited.
fn parse_limit(value: &Value, path: &str, issues: &mut Vec<Issue>) -> Option<Option<u64>> {
    match value {
        Value::Null => Some(None),
        Value::Number(_) => {
            match whole_number(value) {
                Some(-1) => return Some(None),
                Some(n) if n > i128::from(i64::MAX) => {
                    issues.push(Issue::new(path, "range", "a limit must be at most 9223372036854775807"));
                }
                Some(n) => match u64::try_from(n) {
                    Ok(u) => return Some(Some(u)),
                    Err(_) => issues.push(Issue::new(
                        path,
                        "range",
                        "a limit must be 0 or more, or -1 / null for unlimited",
                    )),
                },
                None => issues.push(Issue::new(
                    path,
                    "range",
                    "a limit must be a whole number that fits in 64 bits",
                )),
            }
            None
        }
        _ => {
            issues.push(Issue::new(path, "type", "a limit is an integer, or -1 / null for unlimited"));
            None
        }
    }
}

/// Parses one metric, starting from `base` (an override keeps what it does not name).
fn parse_metric(
    name: &str,
    value: &Value,
    base: Option<&MetricSpec>,
    path: &str,
    issues: &mut Vec<Issue>,
) -> Option<MetricSpec> {
    let mut spec = base.cloned().unwrap_or_else(|| MetricSpec {
        name: name.to_owned(),
        limit: None,
        kind: LimitKind::Hard,
        grace: None,
        period: PeriodKind::None,
        thresholds: Threshold::defaults(),
    });
    let before = issues.len();
    let Some(obj) = value.as_object() else {
        spec.limit = parse_limit(value, path, issues)?;
        return Some(spec);
    };
    for key in obj.keys() {
        if !matches!(key.as_str(), "limit" | "kind" | "grace" | "period" | "thresholds") {
            issues.push(Issue::new(
                format!("{path}/{}", pointer_token(key)),
                "unknown_field",
                "unknown metric field; expected limit, kind, grace, period or thresholds",
            ));
        }
    }
    match obj.get("limit") {
        Some(v) => {
            if let Some(limit) = parse_limit(v, &format!("{path}/limit"), issues) {
                spec.limit = limit;
            }
        }
        None if base.is_none() => {
            issues.push(Issue::new(format!("{path}/limit"), "required", "a metric object needs a limit"))
        }
        None => {}
    }
    if let Some(v) = obj.get("kind") {
        match v.as_str().and_then(LimitKind::parse) {
            Some(k) => spec.kind = k,
            None => {
                issues.push(Issue::new(format!("{path}/kind"), "enum", "kind must be \"hard\" or \"soft\""))
            }
        }
    }
    if let Some(v) = obj.get("period") {
        match v.as_str().and_then(PeriodKind::parse) {
            Some(p) => spec.period = p,
            None => issues.push(Issue::new(
                format!("{path}/period"),
                "enum",
                "period must be \"none\", \"day\", \"month\" or \"year\"",
            )),
        }
    }
    if let Some(v) = obj.get("grace") {
        if v.is_null() {
            spec.grace = None;
        } else if let Some(g) = parse_grace(v, &format!("{path}/grace"), issues) {
            spec.grace = Some(g);
        }
    }
    if let Some(v) = obj.get("thresholds") {
        let tpath = format!("{path}/thresholds");
        match v.as_array() {
            Some(items) => {
                let mut out = Vec::with_capacity(items.len());
                let mut previous = 0.0;
                for (i, item) in items.iter().enumerate() {
                    let ipath = format!("{tpath}/{i}");
                    let Some(f) = item.as_f64() else {
                        issues.push(Issue::new(ipath, "type", "a threshold is a number such as 0.8"));
                        continue;
                    };
                    match Threshold::new(f) {
                        Ok(t) if i == 0 || f > previous => out.push(t),
                        Ok(_) => {
                            issues.push(Issue::new(ipath, "order", "thresholds must be strictly increasing"))
                        }
                        Err(e) => issues.push(Issue::new(
                            ipath,
                            "range",
                            format!("a threshold is a fraction greater than 0 such as 0.8 ({})", e.message()),
                        )),
                    }
                    previous = f;
                }
                spec.thresholds = out;
            }
            None => issues.push(Issue::new(
                tpath,
                "type",
                "thresholds is a list of fractions such as [0.8, 0.9, 1.0]",
            )),
        }
    }
    if issues.len() > before {
        return None;
    }
    Some(spec)
}

fn parse_grace(value: &Value, path: &str, issues: &mut Vec<Issue>) -> Option<Grace> {
    let Some(obj) = value.as_object() else {
        issues.push(Issue::new(path, "type", "grace is an object: {percent | amount, duration}"));
        return None;
    };
    let before = issues.len();
    for key in obj.keys() {
        if !matches!(key.as_str(), "percent" | "amount" | "duration") {
            issues.push(Issue::new(
                format!("{path}/{}", pointer_token(key)),
                "unknown_field",
                "unknown grace field; expected percent, amount or duration (seconds)",
            ));
        }
    }
    let mut allowance = None;
    if let (Some(_), Some(_)) = (obj.get("percent"), obj.get("amount")) {
        issues.push(Issue::new(path, "exclusive", "give percent or amount, not both"));
    }
    if let Some(v) = obj.get("percent") {
        match v.as_f64().map(Fraction::from_f64) {
            Some(Ok(p)) => allowance = Some(Allowance::Percent(p)),
            _ => issues.push(Issue::new(
                format!("{path}/percent"),
                "range",
                "percent is a finite number of zero or more (10 = 10 %)",
            )),
        }
    }
    if let Some(v) = obj.get("amount") {
        match whole_number(v)
            .filter(|n| (0..=i128::from(i64::MAX)).contains(n))
            .and_then(|n| u64::try_from(n).ok())
        {
            Some(n) => allowance = Some(Allowance::Amount(n)),
            None => issues.push(Issue::new(
                format!("{path}/amount"),
                "range",
                "amount is a whole number of units, 0 or more, that fits in 64 bits",
            )),
        }
    }
    let mut duration = None;
    if let Some(v) = obj.get("duration") {
        match whole_number(v)
            .filter(|d| (1..=100 * 366 * 86_400).contains(d))
            .and_then(|d| i64::try_from(d).ok())
        {
            Some(d) => duration = Some(d),
            None => issues.push(Issue::new(
                format!("{path}/duration"),
                "range",
                "duration is a whole number of seconds greater than 0 (at most 100 years)",
            )),
        }
    }
    if issues.len() > before {
        return None;
    }
    if allowance.is_none() && duration.is_none() {
        issues.push(Issue::new(path, "required", "grace needs percent, amount or duration"));
        return None;
    }
    Some(Grace { allowance, duration })
}

fn parse_overrides(plan: &Plan, doc: &Value) -> Result<Overrides> {
    let mut issues = Vec::new();
    let mut out = Overrides::default();
    let Some(obj) = doc.as_object() else {
        return Err(invalid_overrides(vec![Issue::new(
            "",
            "type",
            "overrides are an object: {limits, features}",
        )]));
    };
    for key in obj.keys() {
        if !matches!(key.as_str(), "limits" | "features") {
            issues.push(Issue::new(
                format!("/{}", pointer_token(key)),
                "unknown_field",
                "unknown override field; expected limits or features",
            ));
        }
    }
    match obj.get("limits") {
        None | Some(Value::Null) => {}
        Some(Value::Object(limits)) => {
            for (metric, spec) in limits {
                let path = format!("/limits/{}", pointer_token(metric));
                if metric.is_empty() {
                    issues.push(Issue::new(path.clone(), "name", "a metric name must not be empty"));
                }
                if let Some(spec) = parse_metric(metric, spec, plan.metric(metric), &path, &mut issues) {
                    out.metrics.push(spec);
                }
            }
        }
        Some(_) => issues.push(Issue::new("/limits", "type", "limits is an object of metric -> limit")),
    }
    out.features = parse_features(obj.get("features"), "/features", &mut issues);
    if !issues.is_empty() {
        return Err(invalid_overrides(issues));
    }
    Ok(out)
}

fn invalid_overrides(issues: Vec<Issue>) -> Error {
    let first = issues.first().map(|i| format!(": {} at {:?}", i.message, i.path)).unwrap_or_default();
    Error::with_issues(
        ErrorCode::LimitsInvalidOverrides,
        format!("invalid overrides ({} problem(s)){first}", issues.len()),
        issues,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_numbers_written_with_a_zero_fraction_are_whole() -> Result<()> {
        let with_fraction = r#"{"free": {"limits": {"m": 5.0, "n": -1.0,
            "g": {"limit": 3.0, "grace": {"amount": 2.0, "duration": 3600.0}}}, "trial_days": 14.0}}"#;
        let plain = r#"{"free": {"limits": {"m": 5, "n": -1,
            "g": {"limit": 3, "grace": {"amount": 2, "duration": 3600}}}, "trial_days": 14}}"#;
        let a = PlanCatalog::from_json(with_fraction)?.entitlements("free", None, Some(0))?;
        let b = PlanCatalog::from_json(plain)?.entitlements("free", None, Some(0))?;
        assert_eq!(a.limits(), b.limits());
        assert_eq!(a.limit("m")?, Some(5));
        assert_eq!(a.check("m", 6, 1, 0, Some(0))?, b.check("m", 6, 1, 0, Some(0))?);
        assert_eq!(a.check("g", 4, 1, 0, None)?, b.check("g", 4, 1, 0, None)?);
        assert_eq!(a.trial_ends_at(), b.trial_ends_at());
        // Overrides are read the same way.
        let more = serde_json::json!({"limits": {"m": 8.0}});
        let c = PlanCatalog::from_json(plain)?.entitlements("free", Some(&more), None)?;
        assert_eq!(c.limit("m")?, Some(8));
        for bad in ["5.5", "-2.0", "1e300", "9007199254740994.0", "-1.5"] {
            let text = format!(r#"{{"free": {{"limits": {{"m": {bad}}}}}}}"#);
            let refused = PlanCatalog::from_json(&text).err().map(|err| {
                (err.code(), err.issues().first().map(|issue| issue.path.clone()).unwrap_or_default())
            });
            assert_eq!(refused, Some(("limits.invalid_catalog", "/free/limits/m".to_owned())));
        }
        Ok(())
    }

    #[test]
    fn compiled_defaults_match_parsed_ones() {
        let parsed: Vec<Threshold> = DEFAULT_THRESHOLDS.iter().map(|v| Threshold::new(*v).unwrap()).collect();
        let compiled = Threshold::defaults();
        for (p, c) in parsed.iter().zip(&compiled) {
            assert_eq!(p.value(), c.value());
            for limit in [0, 1, 7, 10, 99, 1000, u64::MAX] {
                assert_eq!(p.boundary(limit), c.boundary(limit));
            }
        }
        assert_eq!(parsed.len(), compiled.len());
    }
}
