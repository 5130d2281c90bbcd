//! Valid features of every kind, placed in the fixture's wards.

use serde_json::{Value, json};

/// A point in the Chánh Lộ fixture ward (west half, outside the dissolved ward).
pub const IN_CHANH_LO: [f64; 2] = [108.800, 15.115];

pub fn point(lon: f64, lat: f64) -> Value {
    json!({"type": "Point", "coordinates": [lon, lat]})
}

pub fn line(coordinates: &[[f64; 2]]) -> Value {
    json!({"type": "LineString", "coordinates": coordinates})
}

pub fn feature(geometry: Value, properties: Value) -> Value {
    json!({"type": "Feature", "geometry": geometry, "properties": properties})
}

pub fn tower(code: &str) -> Value {
    feature(
        point(IN_CHANH_LO[0], IN_CHANH_LO[1]),
        json!({
            "code": code, "operator": "VNPT", "status": "operational", "name": "Trạm BTS Chánh Lộ 01",
            "tower_class": "A2b", "height_m": 42.0, "structure": "lattice", "placement": "ground",
            "technologies": ["4G", "5G"], "capacity": 3, "accuracy_m": 0.5
        }),
    )
}

pub fn pole(code: &str, lon: f64, lat: f64) -> Value {
    feature(
        point(lon, lat),
        json!({"code": code, "operator": "EVNCPC", "material": "concrete", "height_m": 8.5, "purpose": "power", "capacity": 6}),
    )
}

pub fn manhole(code: &str, lon: f64, lat: f64) -> Value {
    feature(
        point(lon, lat),
        json!({"code": code, "operator": "VNPT", "covers": 2, "cover_material": "concrete", "depth_m": 1.2}),
    )
}

pub fn duct(code: &str) -> Value {
    feature(
        line(&[[108.798, 15.110], [108.802, 15.110]]),
        json!({"code": code, "operator": "VNPT", "layers": 2, "pipe_count": 4, "pipe_diameter_mm": 110,
        "cover_depth_mm": 700, "surface": "road",
        "pipes": [
            {"no": 1, "layer": 1, "state": "occupied", "occupant": "VNPT"},
            {"no": 2, "layer": 1, "state": "partly_occupied", "occupant": "VIETTEL"},
            {"no": 3, "layer": 2, "state": "free", "occupant": null},
            {"no": 4, "layer": 2, "state": "damaged", "occupant": null}
        ]}),
    )
}

pub fn trench(code: &str) -> Value {
    feature(
        line(&[[108.797, 15.112], [108.803, 15.112]]),
        json!({"code": code, "operator": "VIETTEL", "trench_type": "tunnel", "width_m": 2.5, "depth_m": 3.0}),
    )
}

pub fn cable(code: &str, carried_by: &[i64]) -> Value {
    feature(
        line(&[[108.798, 15.111], [108.800, 15.111], [108.802, 15.1115]]),
        json!({"code": code, "operator": "VIETTEL", "placement": "overhead", "medium": "fibre", "role": "subscriber",
               "core_count": 24, "carried_by": carried_by}),
    )
}

pub fn cabinet(code: &str) -> Value {
    feature(
        point(108.801, 15.116),
        json!({"code": code, "operator": "FPT", "cabinet_type": "fibre_distribution", "mounting": "ground", "capacity": 2}),
    )
}
