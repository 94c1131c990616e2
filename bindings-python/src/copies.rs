//! `copy.copy` and `copy.deepcopy` of tenantry's objects. Every one is immutable, so a copy of one
//! is the object itself, as for a `tuple` or an `re.Pattern`. Without this, copying one (or
//! anything holding one: `dataclasses.asdict`, pydantic's `model_copy(deep=True)`) failed with
//! "cannot pickle".

use pyo3::prelude::*;

macro_rules! copies_are_the_object {
    ($($class:ty),+ $(,)?) => {$(
        #[pymethods]
        impl $class {
            fn __copy__(slf: PyRef<'_, Self>) -> PyRef<'_, Self> {
                slf
            }

            fn __deepcopy__<'py>(slf: PyRef<'py, Self>, memo: &Bound<'py, PyAny>) -> PyRef<'py, Self> {
                let _ = memo; // nothing inside is copied, so nothing is remembered
                slf
            }
        }
    )+};
}

copies_are_the_object!(
    crate::apikeys::ApiKeys,
    crate::apikeys::IssuedKey,
    crate::apikeys::RolledKey,
    crate::apikeys::ParsedToken,
    crate::apikeys::Verdict,
    crate::audit::SealKey,
    crate::audit::ChainReport,
    crate::limits::PlanCatalog,
    crate::limits::Entitlements,
    crate::limits::Decision,
    crate::limits::RateLimit,
    crate::limits::RateDecision,
    crate::settings::Resolution,
    crate::settings::PatchResult,
    crate::settings::Migration,
    crate::settings::SettingsSchema,
    crate::webhook_delivery::RetryPolicy,
    crate::webhook_delivery::EventFilter,
    crate::webhooks::Webhook,
);
