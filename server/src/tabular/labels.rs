//! The names people read in an exported table: attribute headers and coded
//! values in Vietnamese (the default of a spreadsheet) or English, the same
//! words the web app shows (`web/src/i18n/fields.ts`). The import reads them
//! back: a header is recognised by its name, a value by its name's words, so a
//! table exported in Vietnamese and edited in Excel imports again.

/// The language of an exported table's headers and values, or the codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Labels {
    /// Attribute names and codes (`height_m`, `concrete`): what scripts and GIS read.
    Codes,
    Vietnamese,
    English,
}

impl Labels {
    pub fn parse(text: &str) -> Option<Self> {
        Some(match text.to_ascii_lowercase().as_str() {
            "codes" | "code" | "none" => Self::Codes,
            "vi" | "vi-vn" => Self::Vietnamese,
            "en" | "en-gb" | "en-us" => Self::English,
            _ => return None,
        })
    }
}

/// The (Vietnamese, English) name of an attribute.
pub fn attribute_names(attribute: &str) -> Option<(&'static str, &'static str)> {
    Some(match attribute {
        // Not "Số hiệu", which operators use for their own codes.
        "id" => ("Số hiệu trong Hạ tầng", "Hatang id"),
        "code" => ("Mã tài sản", "Code"),
        "name" => ("Tên", "Name"),
        "kind" => ("Loại tài sản", "Kind"),
        "operator" => ("Chủ sở hữu", "Owner"),
        "operator_name" => ("Tên chủ sở hữu", "Owner name"),
        "status" => ("Trạng thái", "Status"),
        "accuracy_m" => ("Độ chính xác vị trí (m)", "Positional accuracy (m)"),
        "capacity" => (
            "Sức chứa (số vị trí cho thuê)",
            "Capacity (slots for tenants)",
        ),
        "free_capacity" => ("Còn trống", "Free"),
        "note" => ("Ghi chú", "Note"),
        "ward_code" => ("Mã phường, xã", "Ward code"),
        "ward_name" => ("Phường, xã", "Ward"),
        "tenant_count" => ("Số đơn vị thuê", "Tenants"),
        "shared" => ("Dùng chung", "Shared"),
        "version" => ("Phiên bản", "Version"),
        "created_at" => ("Ngày tạo", "Created"),
        "updated_at" => ("Cập nhật lần cuối", "Last updated"),
        "geometry" => ("Vị trí trên bản đồ", "Location on the map"),
        "tenancies" => ("Thuê, dùng chung", "Tenancies"),
        "tower_class" => ("Loại cột", "Tower class"),
        "height_m" => ("Chiều cao (m)", "Height (m)"),
        "host_building_height_m" => (
            "Chiều cao công trình đặt cột (m)",
            "Host building height (m)",
        ),
        "structure" => ("Kết cấu", "Structure"),
        "placement" => ("Vị trí lắp đặt", "Placement"),
        "technologies" => ("Công nghệ", "Technologies"),
        "material" => ("Vật liệu", "Material"),
        "purpose" => ("Mục đích", "Purpose"),
        "layers" => ("Số lớp ống", "Layers"),
        "pipe_count" => ("Số ống", "Number of pipes"),
        "free_pipes" => ("Ống còn trống", "Free pipes"),
        "pipe_diameter_mm" => ("Đường kính ống (mm)", "Pipe diameter (mm)"),
        "cover_depth_mm" => ("Độ sâu chôn (mm)", "Cover depth (mm)"),
        "surface" => ("Vị trí chôn", "Surface"),
        "from_manhole_id" => ("Từ bể cáp (số hiệu)", "From manhole (id)"),
        "to_manhole_id" => ("Đến bể cáp (số hiệu)", "To manhole (id)"),
        "pipes" => ("Các ống", "Pipes"),
        "covers" => ("Số tấm đan", "Cover slabs"),
        "cover_material" => ("Vật liệu nắp", "Cover material"),
        "depth_m" => ("Độ sâu (m)", "Depth (m)"),
        "trench_type" => ("Loại công trình", "Type"),
        "width_m" => ("Chiều rộng (m)", "Width (m)"),
        "medium" => ("Loại cáp", "Medium"),
        "role" => ("Cấp cáp", "Role"),
        "core_count" => ("Số sợi / số đôi", "Fibres / pairs"),
        "carried_by" => ("Treo trên / đi trong (số hiệu)", "Carried by (ids)"),
        "cabinet_type" => ("Loại tủ", "Cabinet type"),
        "mounting" => ("Cách lắp đặt", "Mounting"),
        "longitude" => ("Kinh độ", "Longitude"),
        "latitude" => ("Vĩ độ", "Latitude"),
        "easting" => ("Tọa độ Y (hướng Đông, m)", "Easting (m)"),
        "northing" => ("Tọa độ X (hướng Bắc, m)", "Northing (m)"),
        "wkt" => ("Hình học (WKT)", "Geometry (WKT)"),
        _ => return None,
    })
}

/// The (Vietnamese, English) name of a coded value of an attribute.
pub fn value_names(attribute: &str, code: &str) -> Option<(&'static str, &'static str)> {
    Some(match (attribute, code) {
        ("kind", "tower") => ("Cột ăng ten", "Antenna tower"),
        ("kind", "pole") => ("Cột treo cáp", "Pole"),
        ("kind", "duct") => ("Cống bể cáp", "Duct bank"),
        ("kind", "manhole") => ("Bể cáp", "Manhole"),
        ("kind", "trench") => ("Hào, tuynel", "Trench or tunnel"),
        ("kind", "cable") => ("Tuyến cáp", "Cable route"),
        ("kind", "cabinet") => ("Tủ cáp", "Street cabinet"),
        ("status", "proposed") => ("Đề xuất", "Proposed"),
        ("status", "planned") => ("Theo kế hoạch", "Planned"),
        ("status", "under_construction") => ("Đang xây dựng", "Under construction"),
        ("status", "operational") => ("Đang hoạt động", "Operational"),
        ("status", "inactive") => ("Tạm ngừng", "Inactive"),
        ("status", "decommissioned") => ("Đã ngừng sử dụng", "Decommissioned"),
        ("tower_class", "A1") => ("A1 – không cồng kềnh", "A1 – non-bulky"),
        ("tower_class", "A1a") => (
            "A1a – không cồng kềnh, trên công trình",
            "A1a – non-bulky, on a building",
        ),
        ("tower_class", "A1b") => (
            "A1b – cột ngụy trang, trang trí",
            "A1b – disguised monopole",
        ),
        ("tower_class", "A2a") => ("A2a – trên công trình xây dựng", "A2a – on a building"),
        ("tower_class", "A2b") => ("A2b – trên mặt đất", "A2b – ground tower"),
        ("tower_class", "other") => ("Khác", "Other"),
        ("structure", "monopole") => ("Cột đơn thân", "Monopole"),
        ("structure", "lattice") => ("Cột tháp dàn", "Lattice tower"),
        ("structure", "guyed") => ("Cột dây co", "Guyed mast"),
        ("structure", "rooftop_pole") => ("Cột trên mái", "Rooftop pole"),
        ("structure", "camouflaged") => ("Ngụy trang", "Camouflaged"),
        ("structure", "other") => ("Khác", "Other"),
        ("placement", "ground") => ("Trên mặt đất", "On the ground"),
        ("placement", "rooftop") => ("Trên mái nhà", "On a rooftop"),
        ("placement", "overhead") => ("Cáp treo", "Overhead"),
        ("placement", "underground") => ("Cáp ngầm", "Underground"),
        ("material", "concrete") => ("Bê tông", "Concrete"),
        ("material", "steel") => ("Thép", "Steel"),
        ("material", "wood") => ("Gỗ", "Wood"),
        ("material", "composite") => ("Composite", "Composite"),
        ("material", "other") => ("Khác", "Other"),
        ("purpose", "telecom") => ("Viễn thông", "Telecom"),
        ("purpose", "power") => ("Điện lực", "Power"),
        ("purpose", "lighting") => ("Chiếu sáng", "Street lighting"),
        ("purpose", "combined") => ("Điện lực và chiếu sáng", "Power and lighting"),
        ("surface", "pavement") => ("Dưới vỉa hè", "Under pavement"),
        ("surface", "road") => ("Dưới lòng đường", "Under the road"),
        ("surface", "verge") => ("Lề đất", "Verge"),
        ("surface", "other") => ("Khác", "Other"),
        ("state", "free") => ("Trống", "Free"),
        ("state", "partly_occupied") => ("Dùng một phần", "Partly occupied"),
        ("state", "occupied") => ("Đã sử dụng", "Occupied"),
        ("state", "damaged") => ("Hỏng", "Damaged"),
        ("cover_material", "concrete") => ("Bê tông", "Concrete"),
        ("cover_material", "cast_iron") => ("Gang", "Cast iron"),
        ("cover_material", "composite") => ("Composite", "Composite"),
        ("cover_material", "steel") => ("Thép", "Steel"),
        ("trench_type", "trench") => ("Hào kỹ thuật", "Technical trench"),
        ("trench_type", "tunnel") => ("Tuynel kỹ thuật", "Technical tunnel"),
        ("medium", "fibre") => ("Cáp quang", "Fibre"),
        ("medium", "copper") => ("Cáp đồng", "Copper"),
        ("medium", "coax") => ("Cáp đồng trục", "Coaxial"),
        ("role", "trunk") => ("Cáp trục (cáp gốc)", "Trunk"),
        ("role", "subscriber") => ("Cáp thuê bao", "Subscriber"),
        ("cabinet_type", "fibre_distribution") => ("Tủ phối quang", "Fibre distribution"),
        ("cabinet_type", "copper_crossconnect") => ("Tủ cáp đồng", "Copper cross-connect"),
        ("cabinet_type", "active_equipment") => ("Tủ thiết bị", "Active equipment"),
        ("cabinet_type", "power") => ("Tủ nguồn", "Power"),
        ("cabinet_type", "other") => ("Khác", "Other"),
        ("mounting", "ground") => ("Đặt trên nền", "On the ground"),
        ("mounting", "pole") => ("Trên cột", "On a pole"),
        ("mounting", "wall") => ("Trên tường", "On a wall"),
        ("@bool", "true") => ("Có", "Yes"),
        ("@bool", "false") => ("Không", "No"),
        _ => return None,
    })
}

/// The header of an attribute's column.
pub fn header(attribute: &str, labels: Labels) -> String {
    match (labels, attribute_names(attribute)) {
        (Labels::Vietnamese, Some((vi, _))) => vi.to_string(),
        (Labels::English, Some((_, en))) => en.to_string(),
        _ => attribute.to_string(),
    }
}

/// A coded value as the table shows it.
pub fn value(attribute: &str, code: &str, labels: Labels) -> String {
    match (labels, value_names(attribute, code)) {
        (Labels::Vietnamese, Some((vi, _))) => vi.to_string(),
        (Labels::English, Some((_, en))) => en.to_string(),
        _ => code.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn headers_and_values_have_vietnamese_names() {
        assert_eq!(header("height_m", Labels::Vietnamese), "Chiều cao (m)");
        assert_eq!(header("height_m", Labels::English), "Height (m)");
        assert_eq!(header("height_m", Labels::Codes), "height_m");
        assert_eq!(value("material", "concrete", Labels::Vietnamese), "Bê tông");
        assert_eq!(
            value("status", "operational", Labels::Vietnamese),
            "Đang hoạt động"
        );
        assert_eq!(
            value("tower_class", "A2b", Labels::Vietnamese),
            "A2b – trên mặt đất"
        );
        assert_eq!(value("material", "unheard", Labels::Vietnamese), "unheard");
    }
}
