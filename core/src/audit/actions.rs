//! The action catalogue of seed 004 (user, cycle, forecast, customer/product, import/export,
//! settings and system actions), each with its default severity.
//!
//! Actions are dotted lowercase (`resource.verb`). Custom actions are accepted by the builder when
//! well formed; they default to [`Severity::Info`].
//!
//! ```
//! use tenantry::audit::{actions, Severity};
//! assert_eq!(actions::default_severity(actions::USER_ROLE_CHANGED), Some(Severity::Warning));
//! assert_eq!(actions::default_severity("invoice.paid"), None);
//! assert!(actions::CATALOGUE.len() >= 30);
//! ```

use super::record::Severity;

macro_rules! catalogue {
    ($( $(#[$doc:meta])* $name:ident = $action:literal, $severity:ident; )*) => {
        $(
            $(#[$doc])*
            ///
            #[doc = concat!(
                "```\n",
                "use tenantry::audit::{actions, Severity};\n",
                "assert_eq!(actions::", stringify!($name), ", \"", $action, "\");\n",
                "assert_eq!(actions::default_severity(actions::", stringify!($name), "), Some(Severity::",
                stringify!($severity), "));\n",
                "```",
            )]
            pub const $name: &str = $action;
        )*

        /// Every catalogued action with its default severity, in catalogue order.
        ///
        /// ```
        /// let (action, severity) = tenantry::audit::actions::CATALOGUE[0];
        /// assert_eq!((action, severity.as_str()), ("user.login", "info"));
        /// ```
        pub const CATALOGUE: &[(&str, Severity)] = &[$( ($action, Severity::$severity), )*];
    };
}

catalogue! {
    /// A user signed in.
    USER_LOGIN = "user.login", Info;
    /// A user signed out.
    USER_LOGOUT = "user.logout", Info;
    /// A user account was created.
    USER_CREATED = "user.created", Info;
    /// A user account was updated.
    USER_UPDATED = "user.updated", Info;
    /// A user account was deleted.
    USER_DELETED = "user.deleted", Warning;
    /// A user's password was changed.
    USER_PASSWORD_CHANGED = "user.password_changed", Warning;
    /// A user's role was changed.
    USER_ROLE_CHANGED = "user.role_changed", Warning;
    /// A user account was deactivated.
    USER_DEACTIVATED = "user.deactivated", Warning;
    /// A user account was activated.
    USER_ACTIVATED = "user.activated", Info;
    /// A planning cycle was created.
    CYCLE_CREATED = "cycle.created", Info;
    /// A planning cycle was updated.
    CYCLE_UPDATED = "cycle.updated", Info;
    /// A planning cycle was opened.
    CYCLE_OPENED = "cycle.opened", Info;
    /// A planning cycle was closed.
    CYCLE_CLOSED = "cycle.closed", Info;
    /// A planning cycle was deleted.
    CYCLE_DELETED = "cycle.deleted", Warning;
    /// A forecast was created.
    FORECAST_CREATED = "forecast.created", Info;
    /// A forecast was submitted for approval.
    FORECAST_SUBMITTED = "forecast.submitted", Info;
    /// A forecast was approved.
    FORECAST_APPROVED = "forecast.approved", Info;
    /// A forecast was rejected.
    FORECAST_REJECTED = "forecast.rejected", Info;
    /// A forecast was updated.
    FORECAST_UPDATED = "forecast.updated", Info;
    /// A forecast was deleted.
    FORECAST_DELETED = "forecast.deleted", Warning;
    /// A customer was created.
    CUSTOMER_CREATED = "customer.created", Info;
    /// A customer was updated.
    CUSTOMER_UPDATED = "customer.updated", Info;
    /// A customer was deleted.
    CUSTOMER_DELETED = "customer.deleted", Warning;
    /// A product was created.
    PRODUCT_CREATED = "product.created", Info;
    /// A product was updated.
    PRODUCT_UPDATED = "product.updated", Info;
    /// A product was deleted.
    PRODUCT_DELETED = "product.deleted", Warning;
    /// A spreadsheet was imported.
    EXCEL_IMPORTED = "excel.imported", Info;
    /// A report was generated.
    REPORT_GENERATED = "report.generated", Info;
    /// A report was downloaded.
    REPORT_DOWNLOADED = "report.downloaded", Info;
    /// A report was deleted.
    REPORT_DELETED = "report.deleted", Warning;
    /// A setting was updated.
    SETTING_UPDATED = "setting.updated", Warning;
    /// A setting was created.
    SETTING_CREATED = "setting.created", Info;
    /// A setting was deleted.
    SETTING_DELETED = "setting.deleted", Warning;
    /// The system started.
    SYSTEM_STARTUP = "system.startup", Info;
    /// The system shut down.
    SYSTEM_SHUTDOWN = "system.shutdown", Warning;
    /// A scheduled job ran.
    SCHEDULED_JOB_RUN = "system.scheduled_job_run", Info;
}

/// The default severity of a catalogued action, or `None` for a custom action.
///
/// ```
/// use tenantry::audit::{actions, Severity};
/// assert_eq!(actions::default_severity("user.deleted"), Some(Severity::Warning));
/// ```
pub fn default_severity(action: &str) -> Option<Severity> {
    CATALOGUE.iter().find(|(a, _)| *a == action).map(|(_, s)| *s)
}
