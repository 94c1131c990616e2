//! Core errors as JavaScript errors carrying `code`, `errors` and the tenantry class name.
//!
//! The hand-written `index.js` turns them into instances of the exported error classes.

use napi::bindgen_prelude::*;
use tenantry::Error as CoreError;

/// Builds the JS error for a core error: `message`, `code` (stable), `errors` (validation issues)
/// and `tenantryClass` (the class `index.js` gives it).
pub fn to_js(env: &Env, err: CoreError) -> napi::Error {
    match build(env, &err) {
        Ok(error) => error,
        Err(_) => napi::Error::new(Status::GenericFailure, err.message().to_owned()),
    }
}

fn build(env: &Env, err: &CoreError) -> Result<napi::Error> {
    let mut obj = env.create_error(napi::Error::new(Status::GenericFailure, err.message().to_owned()))?;
    obj.set_named_property("code", err.code())?;
    obj.set_named_property("tenantryClass", err.class().name())?;
    let mut issues = env.create_array(err.issues().len() as u32)?;
    for (i, issue) in err.issues().iter().enumerate() {
        let mut item = Object::new(env)?;
        item.set_named_property("path", issue.path.as_str())?;
        item.set_named_property("code", issue.code.as_str())?;
        item.set_named_property("message", issue.message.as_str())?;
        issues.set(i as u32, item)?;
    }
    obj.set_named_property("errors", issues)?;
    Ok(napi::Error::from(obj.to_unknown()))
}

/// `core_call().js(env)?`: converts a core result into a napi result.
pub trait IntoJsResult<T> {
    /// Converts, building the JS error on failure.
    fn js(self, env: &Env) -> Result<T>;
}

impl<T> IntoJsResult<T> for tenantry::Result<T> {
    fn js(self, env: &Env) -> Result<T> {
        self.map_err(|e| to_js(env, e))
    }
}

/// The exception class name of every stable code, for `index.js` (derived from core, never copied).
#[napi(js_name = "errorClasses")]
pub fn error_classes() -> std::collections::HashMap<String, String> {
    tenantry::ErrorCode::ALL.iter().map(|c| (c.as_str().to_owned(), c.class().name().to_owned())).collect()
}
