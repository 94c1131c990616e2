//! Property tests of the limits capability, and a cross-check of the GCRA rate limiter against
//! the governor crate on generated request sequences.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::FakeRelativeClock;
use governor::{Quota, RateLimiter};
use proptest::prelude::*;
use tenantry::limits::{PeriodKind, PlanCatalog, RateLimit, Threshold, crossed_with, period_window};

/// Thresholds as whole percentages (1 % .. 200 %), strictly increasing.
fn thresholds() -> impl Strategy<Value = Vec<u32>> {
    proptest::collection::btree_set(1u32..=200, 0..6).prop_map(|s| s.into_iter().collect())
}

fn as_thresholds(percents: &[u32]) -> Vec<Threshold> {
    percents.iter().map(|p| Threshold::new(f64::from(*p) / 100.0).unwrap()).collect()
}

/// The thresholds `p %` with `previous < p/100 × limit <= current`, in exact integer arithmetic.
fn brute_force(previous: u64, current: u64, limit: u64, percents: &[u32]) -> Vec<f64> {
    percents
        .iter()
        .filter(|p| {
            let scaled = u128::from(**p) * u128::from(limit);
            u128::from(previous) * 100 < scaled && scaled <= u128::from(current) * 100
        })
        .map(|p| f64::from(*p) / 100.0)
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn crossed_is_exactly_the_thresholds_between(
        limit in 0u64..100_000, a in 0u64..250_000, b in 0u64..250_000, percents in thresholds()
    ) {
        let got = crossed_with(a, b, Some(limit), &as_thresholds(&percents));
        prop_assert_eq!(got, brute_force(a, b, limit, &percents));
    }

    #[test]
    fn crossed_never_repeats_across_a_split_increment(
        limit in 1u64..10_000, points in proptest::collection::vec(0u64..25_000, 1..12), percents in thresholds()
    ) {
        let mut points = points;
        points.sort_unstable();
        let t = as_thresholds(&percents);
        let mut fired = Vec::new();
        let mut previous = 0;
        for p in &points {
            fired.extend(crossed_with(previous, *p, Some(limit), &t));
            previous = *p;
        }
        let whole = crossed_with(0, previous, Some(limit), &t);
        let mut dedup = fired.clone();
        dedup.dedup();
        prop_assert_eq!(&dedup, &fired, "a threshold fired twice");
        prop_assert_eq!(fired, whole);
    }

    #[test]
    fn check_fires_each_default_alert_once_however_usage_jumps(
        limit in 1u64..2_000, steps in proptest::collection::vec(1i64..300, 1..40)
    ) {
        let doc = serde_json::json!({"p": {"limits": {"m": {"limit": limit, "kind": "soft"}}}});
        let ent = PlanCatalog::from_value(&doc).unwrap().entitlements("p", None, None).unwrap();
        let mut used = 0i64;
        let mut fired = Vec::new();
        for s in steps {
            let d = ent.check("m", used, s, 0, None).unwrap();
            prop_assert!(d.allowed);
            fired.extend(d.crossed);
            used += s;
        }
        let expected: Vec<f64> = [0.8, 0.9, 1.0]
            .into_iter()
            .filter(|t| Threshold::new(*t).unwrap().boundary(limit) <= u128::from(used as u64))
            .collect();
        prop_assert_eq!(fired, expected);
    }

    #[test]
    fn gcra_never_admits_more_than_burst_plus_rate_times_elapsed(
        limit in 1u64..50, period_ms in 1i64..20_000, burst in 1u64..30,
        steps in proptest::collection::vec((0i64..3_000, 0i64..6), 1..120)
    ) {
        let rl = RateLimit::new(limit, period_ms, Some(burst)).unwrap();
        let mut state = None;
        let mut now = 1_700_000_000_000i64;
        let mut admitted: Vec<(i64, i64)> = Vec::new();
        for (dt, cost) in steps {
            now += dt;
            let d = rl.check(state, now, cost).unwrap();
            if d.allowed {
                state = Some(d.state);
                admitted.push((now, cost));
            }
        }
        for i in 0..admitted.len() {
            let mut total = 0i128;
            for (t, c) in admitted.iter().skip(i) {
                total += i128::from(*c);
                let elapsed = i128::from(t - admitted[i].0);
                // burst + rate × elapsed, with the exact rate limit / period.
                let bound = i128::from(burst) * i128::from(period_ms) + elapsed * i128::from(limit);
                prop_assert!(total * i128::from(period_ms) <= bound,
                    "admitted {} in {} ms (limit {} per {} ms, burst {})", total, elapsed, limit, period_ms, burst);
            }
        }
    }

    #[test]
    fn gcra_agrees_with_governor(
        interval_ms in 1u64..5_000, burst in 1u32..40,
        steps in proptest::collection::vec((0u64..6_000, 1u32..45), 1..100)
    ) {
        let quota = Quota::with_period(Duration::from_millis(interval_ms)).unwrap()
            .allow_burst(NonZeroU32::new(burst).unwrap());
        let clock = FakeRelativeClock::default();
        let governor = RateLimiter::direct_with_clock(quota, clock.clone());
        let ours = RateLimit::new(1, interval_ms as i64, Some(u64::from(burst))).unwrap();
        let start = 1_700_000_000_000i64;
        let mut elapsed = 0u64;
        let mut state = None;
        for (dt, cost) in steps {
            clock.advance(Duration::from_millis(dt));
            elapsed += dt;
            let now = start + elapsed as i64;
            let d = ours.check(state, now, i64::from(cost)).unwrap();
            match governor.check_n(NonZeroU32::new(cost).unwrap()) {
                Ok(Ok(())) => {
                    prop_assert!(d.allowed, "governor admitted cost {} at +{} ms, tenantry did not", cost, elapsed);
                    state = Some(d.state);
                }
                Ok(Err(not_until)) => {
                    prop_assert!(!d.allowed, "tenantry admitted cost {} at +{} ms, governor did not", cost, elapsed);
                    use governor::clock::Clock;
                    let wait = not_until.wait_time_from(clock.now());
                    prop_assert_eq!(d.retry_after_ms, Some(wait.as_millis() as i64));
                }
                Err(_insufficient) => {
                    prop_assert!(!d.allowed && d.retry_after_ms.is_none());
                }
            }
        }
    }

    #[test]
    fn period_windows_contain_now_and_tile_time(
        kind in prop_oneof![Just(PeriodKind::Day), Just(PeriodKind::Month), Just(PeriodKind::Year)],
        anchor in proptest::option::of(0i64..4_102_444_800),   // 1970 .. 2100
        now in 946_684_800i64..4_102_444_800,                     // 2000 .. 2100
        tz in -50_400i32..=50_400,
    ) {
        let w = period_window(kind, anchor, now, tz).unwrap();
        prop_assert!(w.start <= now && now < w.end, "{:?} does not contain {}", w, now);
        let (min, max) = match kind {
            PeriodKind::Day => (86_400, 86_400),
            PeriodKind::Month => (28 * 86_400, 31 * 86_400),
            _ => (365 * 86_400, 366 * 86_400),
        };
        prop_assert!((min..=max).contains(&(w.end - w.start)), "{:?} has an impossible length", w);
        // The next period starts exactly where this one ends, and the previous one ends at start.
        prop_assert_eq!(period_window(kind, anchor, w.end, tz).unwrap().start, w.end);
        prop_assert_eq!(period_window(kind, anchor, w.start - 1, tz).unwrap().end, w.start);
    }
}
