//! The region a request is served in: read from its SigV4 signature, and
//! the engines of the regions served, one per region, made on first use.

use std::collections::HashMap;
use std::num::NonZeroUsize;
use std::sync::{Arc, RwLock};

use hyper::HeaderMap;
use hyper::header::AUTHORIZATION;

use super::error::ApiError;
use crate::api::{StepFunctions, quoted};
use crate::local::{LocalEngine, LocalEngineBuilder};

/// How many regions a [`RegionalEngines`] serves at most, by default (64):
/// more than AWS has (its partitions together have fewer than 50), so that
/// every real region name fits, and few enough that requests signed for
/// made-up regions cannot make engines without end.
pub const DEFAULT_MAX_REGIONS: NonZeroUsize = match NonZeroUsize::new(64) {
    Some(bound) => bound,
    None => unreachable!(),
};

/// The longest region name taken, in bytes (AWS's longest are about half).
pub const MAX_REGION_NAME_LENGTH: usize = 32;

/// True for a well-formed region name: 1 to [`MAX_REGION_NAME_LENGTH`]
/// lowercase letters, digits and dashes, starting with a letter and not
/// ending with a dash, such as `eu-west-1`, `us-gov-west-1` or `local`.
pub fn is_region_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= MAX_REGION_NAME_LENGTH
        && name.starts_with(|c: char| c.is_ascii_lowercase())
        && !name.ends_with('-')
        && name
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// The region a request is signed for: the third part of the credential
/// scope of its `Authorization` header (`AWS4-HMAC-SHA256
/// Credential=AKID/20261202/eu-west-1/states/aws4_request, ...`).
///
/// `Ok(None)` when the request is not signed, or its scope cannot be read
/// (no SigV4 credential of five parts ending `aws4_request`): it is served
/// in the default region. A scope that names something other than a
/// well-formed region name is refused, as AWS refuses a credential scoped
/// to no region it has.
pub(crate) fn signed_region(headers: &HeaderMap) -> Result<Option<&str>, ApiError> {
    let Some(authorization) = headers.get(AUTHORIZATION) else {
        return Ok(None);
    };
    let Ok(authorization) = authorization.to_str() else {
        return Ok(None);
    };
    let Some(region) = scope_region(authorization) else {
        return Ok(None);
    };
    if is_region_name(region) {
        Ok(Some(region))
    } else {
        Err(ApiError::invalid_signature(format!(
            "Credential should be scoped to a valid region, not {}; a region name is 1 to \
             {MAX_REGION_NAME_LENGTH} lowercase letters, digits and dashes, such as `eu-west-1`",
            quoted(region, '\'')
        )))
    }
}

/// The region part of a SigV4 `Authorization` header's credential scope.
fn scope_region(authorization: &str) -> Option<&str> {
    let (algorithm, parameters) = authorization.trim_start().split_once(' ')?;
    if !algorithm.starts_with("AWS4-") {
        return None;
    }
    let credential = parameters
        .split(',')
        .map(str::trim)
        .find_map(|parameter| parameter.strip_prefix("Credential="))?;
    // The access key id holds no `/`: the scope is the last four parts.
    let mut parts = credential.rsplitn(5, '/');
    let terminator = parts.next()?;
    let _service = parts.next()?;
    let region = parts.next()?;
    let _date = parts.next()?;
    let _key = parts.next()?;
    (terminator == "aws4_request").then_some(region)
}

/// What makes a region's engine.
type MakeEngine = dyn Fn(&str) -> Arc<dyn StepFunctions> + Send + Sync;

/// One engine per region, made the first time a request signed for the
/// region comes, so that a served engine answers in each caller's region
/// as AWS does: each region's ARNs name it, and what is created in one
/// region is not found from another.
///
/// At most [so many regions](RegionalEngines::max_regions) are served
/// (default [`DEFAULT_MAX_REGIONS`]); a request signed for one more is
/// refused, and no engine is made for it.
pub struct RegionalEngines {
    default_region: String,
    make: Box<MakeEngine>,
    engines: RwLock<HashMap<String, Arc<dyn StepFunctions>>>,
    max_regions: NonZeroUsize,
}

impl std::fmt::Debug for RegionalEngines {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RegionalEngines")
            .field("default_region", &self.default_region)
            .field("regions", &self.regions())
            .field("max_regions", &self.max_regions)
            .finish_non_exhaustive()
    }
}

impl RegionalEngines {
    /// Engines made by `make`, given the region's name; requests that are
    /// not signed, or whose signature's scope cannot be read, are served in
    /// `default_region`.
    pub fn new(
        default_region: impl Into<String>,
        make: impl Fn(&str) -> Arc<dyn StepFunctions> + Send + Sync + 'static,
    ) -> RegionalEngines {
        RegionalEngines {
            default_region: default_region.into(),
            make: Box::new(make),
            engines: RwLock::new(HashMap::new()),
            max_regions: DEFAULT_MAX_REGIONS,
        }
    }

    /// Local engines built from `builder`, each with its region: they
    /// share its account, clock, limits and poll wait. The builder's region
    /// is the default region.
    pub fn local(builder: LocalEngineBuilder) -> RegionalEngines {
        RegionalEngines::local_with(builder, |_| {})
    }

    /// [`local`](RegionalEngines::local) engines, each given to `setup` when
    /// made, to register its handlers (with
    /// [`LocalEngine::register_handler`]; `engine.region()` names its
    /// region, for the ARNs of its resources).
    pub fn local_with(
        builder: LocalEngineBuilder,
        setup: impl Fn(&LocalEngine) + Send + Sync + 'static,
    ) -> RegionalEngines {
        let default = builder.clone().build();
        setup(&default);
        let default_region = default.region().to_string();
        let engines = RegionalEngines::new(default_region.clone(), move |region| {
            let engine = builder.clone().region(region).build();
            setup(&engine);
            Arc::new(engine)
        });
        engines
            .write()
            .insert(default_region, Arc::new(default) as Arc<dyn StepFunctions>);
        engines
    }

    /// How many regions may be served (default [`DEFAULT_MAX_REGIONS`]),
    /// the default region among them.
    #[must_use]
    pub fn max_regions(mut self, bound: NonZeroUsize) -> RegionalEngines {
        self.max_regions = bound;
        self
    }

    /// The region of requests that name none.
    pub fn default_region(&self) -> &str {
        &self.default_region
    }

    /// The regions served so far, sorted.
    pub fn regions(&self) -> Vec<String> {
        let mut regions: Vec<String> = self
            .engines
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .keys()
            .cloned()
            .collect();
        regions.sort();
        regions
    }

    /// The engine of `region`, made now if it is the first request for it;
    /// `None` when the region's name is not well-formed (see
    /// [`is_region_name`]) or when as many regions as allowed are served
    /// already.
    pub fn engine(&self, region: &str) -> Option<Arc<dyn StepFunctions>> {
        if let Some(engine) = self
            .engines
            .read()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .get(region)
        {
            return Some(Arc::clone(engine));
        }
        if region != self.default_region && !is_region_name(region) {
            return None;
        }
        let mut engines = self.write();
        if let Some(engine) = engines.get(region) {
            return Some(Arc::clone(engine));
        }
        if engines.len() >= self.max_regions.get() {
            return None;
        }
        let engine = (self.make)(region);
        engines.insert(region.to_string(), Arc::clone(&engine));
        tracing::info!(region, "serving a new region");
        Some(engine)
    }

    fn write(&self) -> std::sync::RwLockWriteGuard<'_, HashMap<String, Arc<dyn StepFunctions>>> {
        // Each change is one insertion: a poisoned lock still holds a
        // consistent map.
        self.engines
            .write()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// The engine a request with these headers is served by.
    pub(crate) fn for_request(
        &self,
        headers: &HeaderMap,
    ) -> Result<(Arc<dyn StepFunctions>, String), ApiError> {
        let region = signed_region(headers)?.unwrap_or(&self.default_region);
        match self.engine(region) {
            Some(engine) => Ok((engine, region.to_string())),
            None => Err(ApiError::invalid_signature(format!(
                "Credential should be scoped to a region this server serves: it serves at most \
                 {} regions and serves {} already ({}); sign for one of them",
                self.max_regions,
                self.max_regions,
                self.regions().join(", ")
            ))),
        }
    }
}

/// The engines a server answers with.
pub(crate) enum Engines {
    /// One engine for every request, whatever region it is signed for.
    One(Arc<dyn StepFunctions>),
    /// An engine per region, the request's.
    Regional(RegionalEngines),
}

impl Engines {
    /// The engine a request with these headers is served by, and the
    /// region, for the logs (`None` for the one engine).
    pub(crate) fn for_request(
        &self,
        headers: &HeaderMap,
    ) -> Result<(Arc<dyn StepFunctions>, Option<String>), ApiError> {
        match self {
            Engines::One(engine) => Ok((Arc::clone(engine), None)),
            Engines::Regional(engines) => engines
                .for_request(headers)
                .map(|(engine, region)| (engine, Some(region))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hyper::header::HeaderValue;

    fn signed(authorization: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_str(authorization).expect("a header value"),
        );
        headers
    }

    #[test]
    fn the_region_is_the_credential_scope_s() {
        let header = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261202/eu-west-1/states/aws4_request, \
                      SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=abc123";
        assert_eq!(signed_region(&signed(header)), Ok(Some("eu-west-1")));
        // Parameters in any order, spaced or not.
        let header = "AWS4-HMAC-SHA256 SignedHeaders=host,Signature=0,Credential=K/20261202/ap-southeast-2/states/aws4_request";
        assert_eq!(signed_region(&signed(header)), Ok(Some("ap-southeast-2")));
        assert_eq!(signed_region(&HeaderMap::new()), Ok(None));
        for unreadable in [
            "",
            "Bearer token",
            "AWS4-HMAC-SHA256",
            "AWS4-HMAC-SHA256 Signature=abc",
            "AWS4-HMAC-SHA256 Credential=K/20261202/eu-west-1/states",
            "AWS4-HMAC-SHA256 Credential=K/20261202/eu-west-1/states/aws5_request",
            "AWS AKID:signature",
        ] {
            assert_eq!(signed_region(&signed(unreadable)), Ok(None), "{unreadable}");
        }
    }

    #[test]
    fn a_region_that_is_no_region_name_is_refused_in_few_words() {
        for bad in [
            "EU-WEST-1",
            "eu_west_1",
            "eu-west-1-",
            "1eu",
            "eu west",
            "x".repeat(33).as_str(),
            "x".repeat(100_000).as_str(),
        ] {
            let header =
                format!("AWS4-HMAC-SHA256 Credential=K/20261202/{bad}/states/aws4_request");
            let error = signed_region(&signed(&header)).expect_err(bad);
            assert_eq!(error.code, "InvalidSignatureException");
            assert!(
                error
                    .message
                    .starts_with("Credential should be scoped to a valid region, not '"),
                "{}",
                error.message
            );
            assert!(error.message.len() < 400, "{}", error.message.len());
        }
        for good in [
            "us-east-1",
            "us-gov-west-1",
            "cn-northwest-1",
            "local",
            "eu-isoe-west-1",
        ] {
            assert!(is_region_name(good), "{good}");
        }
    }

    #[tokio::test]
    async fn each_region_gets_its_engine_up_to_the_bound() {
        let engines = RegionalEngines::local(LocalEngine::builder().region("us-west-2"))
            .max_regions(NonZeroUsize::new(3).expect("not zero"));
        assert_eq!(engines.default_region(), "us-west-2");
        assert_eq!(engines.regions(), ["us-west-2"]);
        let (_, region) = engines.for_request(&HeaderMap::new()).expect("the default");
        assert_eq!(region, "us-west-2");
        let header = |region: &str| {
            signed(&format!(
                "AWS4-HMAC-SHA256 Credential=K/20261202/{region}/states/aws4_request"
            ))
        };
        let (first, _) = engines.for_request(&header("eu-west-1")).expect("a region");
        let (again, _) = engines.for_request(&header("eu-west-1")).expect("a region");
        assert!(Arc::ptr_eq(&first, &again));
        engines
            .for_request(&header("ap-south-1"))
            .expect("the third");
        let refused = engines
            .for_request(&header("sa-east-1"))
            .err()
            .expect("beyond the bound");
        assert_eq!(refused.code, "InvalidSignatureException");
        assert!(
            refused.message.contains("serves at most 3 regions"),
            "{}",
            refused.message
        );
        assert_eq!(engines.regions(), ["ap-south-1", "eu-west-1", "us-west-2"]);
        // Regions already served are still served.
        engines.for_request(&header("eu-west-1")).expect("served");
    }
}
