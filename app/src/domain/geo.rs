//! Distances between places, from their coordinates.

use serde::{Deserialize, Serialize};

/// A point on Earth, in decimal degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    pub lat: f64,
    pub lon: f64,
}

const EARTH_RADIUS_KM: f64 = 6371.0088;

impl GeoPoint {
    pub fn new(lat: f64, lon: f64) -> Self {
        Self { lat, lon }
    }

    /// Great-circle distance in kilometres (haversine formula), precise to well under 1 % at the
    /// scale of a territory, which is all a panel radius needs.
    pub fn distance_km(self, other: GeoPoint) -> f64 {
        let (phi1, phi2) = (self.lat.to_radians(), other.lat.to_radians());
        let dphi = (other.lat - self.lat).to_radians();
        let dlambda = (other.lon - self.lon).to_radians();
        let a = (dphi / 2.0).sin().powi(2) + phi1.cos() * phi2.cos() * (dlambda / 2.0).sin().powi(2);
        2.0 * EARTH_RADIUS_KM * a.sqrt().asin()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_distance_from_a_point_to_itself_is_zero() {
        let p = GeoPoint::new(48.1173, -1.6778);
        assert!(p.distance_km(p).abs() < 1e-9);
    }

    #[test]
    fn paris_to_rennes_is_about_308_km() {
        let paris = GeoPoint::new(48.8566, 2.3522);
        let rennes = GeoPoint::new(48.1173, -1.6778);
        let d = paris.distance_km(rennes);
        assert!((d - 308.0).abs() < 3.0, "got {d}");
    }

    #[test]
    fn distance_is_symmetric() {
        let a = GeoPoint::new(43.6047, 1.4442);
        let b = GeoPoint::new(44.8378, -0.5792);
        assert!((a.distance_km(b) - b.distance_km(a)).abs() < 1e-9);
    }
}
