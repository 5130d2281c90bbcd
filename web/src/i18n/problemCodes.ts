// Problems the server states as a code with parameters (validation::Code on
// the server): geometry, coordinates, files and faults (issue 13). Each is
// worded here in Vietnamese and English from its parameters; a code not listed
// falls back to the English-text patterns of problems.ts.

import { fieldNames } from './fields';

type Params = Record<string, unknown>;
type Wording = (p: Params, vi: boolean) => string | null;

const num = (value: unknown, vi: boolean, digits = 6): string => {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n)) return String(value ?? '');
  return new Intl.NumberFormat(vi ? 'vi-VN' : 'en-GB', { maximumFractionDigits: digits }).format(n);
};
/** An API field's name in the person's language (`material` → "Vật liệu"). */
const field = (value: unknown, vi: boolean): string => {
  const name = String(value ?? '');
  return fieldNames[name]?.[vi ? 'vi' : 'en'] ?? name;
};
const list = (value: unknown): string => (Array.isArray(value) ? value.join(', ') : String(value ?? ''));
const at = (p: Params, vi: boolean): string =>
  p.x === undefined || p.y === undefined ? '' : ` (${num(p.x, vi)}; ${num(p.y, vi)})`;
const crs = (p: Params): string => (p.srid === undefined || p.srid === 4326 ? '' : ` EPSG:${p.srid}`);
const country = (p: Params, vi: boolean): string => String((vi ? p.country_vi : p.country) ?? p.country ?? '');

function where(p: Params, vi: boolean): string {
  if (p.place === 'country') return vi ? `nằm trên lãnh thổ ${country(p, true)}, ngoài Việt Nam` : `lies in ${country(p, false)}, outside Vietnam`;
  if (p.place === 'sea') return vi ? 'nằm trên biển, ngoài vùng biển Việt Nam' : "lies in the sea outside Vietnam's waters";
  return vi ? 'nằm ngoài Việt Nam' : 'lies outside Vietnam';
}

const CODES: Record<string, Wording> = {
  empty_geometry: (_, vi) => (vi ? 'Hình học rỗng: không có toạ độ nào' : 'Empty geometry: it has no coordinates'),
  unknown_crs: (p, vi) =>
    p.description !== undefined
      ? vi
        ? `Tệp khai báo một hệ toạ độ Hạ tầng không nhận ra (${p.description}): hãy chọn hệ toạ độ (EPSG:… hoặc múi TM-3 theo tỉnh)`
        : `The file declares a coordinate system Hatang does not recognise (${p.description}): choose the CRS (EPSG:… or a province's TM-3 zone)`
      : vi
        ? `Không nhận ra hệ toạ độ${p.srid ? ` EPSG:${p.srid}` : ''}; ghi dạng EPSG:<mã>, hoặc bỏ trống cho WGS84`
        : `Unrecognised CRS${p.srid ? ` EPSG:${p.srid}` : ''}; use EPSG:<code>, or leave it out for WGS84`,
  malformed_geometry: (_, vi) => (vi ? 'Không phải hình học GeoJSON hợp lệ' : 'Not a valid GeoJSON geometry'),
  wrong_geometry_type: (p, vi) =>
    vi ? `Loại hình học ${p.type} không dùng được ở đây; chỉ nhận: ${list(p.allowed)}` : `A ${p.type} is not taken here; allowed: ${list(p.allowed)}`,
  too_few_points: (p, vi) =>
    vi ? `Đường chỉ có ${p.distinct} điểm khác nhau; cần ít nhất hai` : `The line has ${p.distinct} distinct point(s); a line needs at least two`,
  ring_too_short: (p, vi) =>
    vi ? `Vòng của đa giác chỉ có ${p.positions} điểm; cần ít nhất bốn (ba đỉnh và điểm đầu lặp lại)` : `A ring has ${p.positions} positions; it needs at least four (three corners and the first again)`,
  ring_not_closed: (_, vi) => (vi ? 'Vòng của đa giác không khép kín: điểm cuối phải trùng điểm đầu' : 'A ring is not closed: its last position must repeat the first'),
  too_many_vertices: (p, vi) =>
    vi ? `Có ${num(p.count, true, 0)} đỉnh; tối đa ${num(p.max, true, 0)}` : `Has ${num(p.count, false, 0)} vertices; the limit is ${num(p.max, false, 0)}`,
  has_height: (p, vi) =>
    vi
      ? `Toạ độ có độ cao (thành phần thứ ba, ví dụ ${num(p.height, true)}); Hạ tầng lưu vị trí 2D nên sẽ mất giá trị này: gửi [kinh độ, vĩ độ] và ghi độ cao vào thuộc tính chiều cao`
      : `Has heights (a third coordinate, e.g. ${num(p.height, false)}); Hatang keeps positions in 2D and would lose them: send [longitude, latitude] and give the height as an attribute`,
  not_wgs84: (p, vi) =>
    vi
      ? `[${num(p.x, true)}; ${num(p.y, true)}] không phải kinh độ, vĩ độ WGS84; với toạ độ VN-2000 hoặc UTM hãy khai báo hệ toạ độ`
      : `[${num(p.x, false)}, ${num(p.y, false)}] is not a WGS84 longitude and latitude; declare the CRS for VN-2000 or UTM coordinates`,
  outside_crs_domain: (p, vi) =>
    vi ? `Toạ độ nằm ngoài vùng xác định của hệ toạ độ EPSG:${p.srid}` : `The coordinates are outside the area where EPSG:${p.srid} is defined`,
  self_intersection: (p, vi) =>
    vi ? `Đa giác tự cắt tại${at(p, true)}; hãy vẽ đường bao không cắt nhau` : `The polygon crosses itself at${at(p, false)}; draw its outline without crossings`,
  line_crosses_itself: (_, vi) => (vi ? 'Đường tự cắt hoặc tự chạm' : 'The line crosses or touches itself'),
  invalid_geometry: (p, vi) => (vi ? `Hình học không hợp lệ: ${p.reason ?? ''}${at(p, true)}` : `Invalid geometry: ${p.reason ?? ''}${at(p, false)}`),
  axes_swapped: (p, vi) =>
    p.srid === undefined || p.srid === 4326
      ? vi
        ? `Toạ độ${at(p, true)} có vẻ bị đảo vĩ độ và kinh độ (kinh độ phải đứng trước)`
        : `The coordinates${at(p, false)} look like latitude and longitude swapped (longitude comes first)`
      : vi
        ? `X và Y có vẻ bị đảo${at(p, true)} trong${crs(p)}: đổi chỗ hai số thì điểm nằm trong Việt Nam (số liệu đo đạc thường ghi X là toạ độ Bắc)`
        : `X and Y look swapped${at(p, false)} in${crs(p)}: the other way round the point is in Vietnam (survey files write X for the northing)`,
  not_in_vietnam: (p, vi) => `${vi ? 'Vị trí' : 'The position'} ${where(p, vi)}${at(p, vi)}`,
  wrong_meridian: (p, vi) =>
    vi
      ? `Vị trí ${where(p, true)}; với kinh tuyến trục ${list(p.fits)} thì các số này nằm trong Việt Nam — kinh tuyến trục khai báo ${p.declared} có lẽ sai múi`
      : `The position ${where(p, false)}; with the central meridian ${list(p.fits)} the numbers lie in Vietnam — the declared ${p.declared} is probably the wrong zone`,
  outside_zone_provinces: (p, vi) =>
    vi ? `Nằm ngoài các tỉnh dùng kinh tuyến trục ${p.meridian} (${list(p.provinces)})` : `Lies outside the provinces of the central meridian ${p.meridian} (${list(p.provinces)})`,
  former_zone: (p, vi) =>
    vi
      ? `Các điểm nằm trong địa giới tỉnh ${p.former} cũ (nay thuộc ${p.province}), nơi từng dùng kinh tuyến trục ${p.meridian}, nhưng được đọc theo ${p.declared}: nếu số liệu đo theo ${p.meridian} thì vị trí lệch 26–54 km — hãy kiểm tra múi chiếu${p.crs ? ` (khai báo ${p.crs})` : ''}`
      : `The points lie in the former province ${p.former} (now ${p.province}), which used the central meridian ${p.meridian}, but were read on ${p.declared}: if they were measured on ${p.meridian} they are 26–54 km off — check the zone${p.crs ? ` (declare ${p.crs})` : ''}`,
  crs_overridden: (p, vi) =>
    vi
      ? `Tệp khai báo ${p.declared} nhưng đã chọn ${p.chosen}: toạ độ được đọc theo ${p.chosen}`
      : `The file declares ${p.declared}, but ${p.chosen} was chosen: the coordinates are read as ${p.chosen}`,
  northings_first: (p, vi) =>
    vi
      ? `Cột “${p.northing}” chứa toạ độ Bắc (X) và cột “${p.easting}” toạ độ Đông (Y), theo quy ước trắc địa Việt Nam: đã đọc đúng như vậy`
      : `Column “${p.northing}” holds northings (X) and “${p.easting}” eastings (Y), the Vietnamese survey convention: read that way`,
  computed_columns: (p, vi) =>
    vi ? `Không nhập các cột Hạ tầng tự tính: ${list(p.columns)}` : `Not imported, Hatang computes them: ${list(p.columns)}`,
  values_to_choose: (p, vi) =>
    vi
      ? `Cột “${p.column}”: hãy chọn mã “${field(p.attribute, true)}” cho ${p.count} giá trị chưa nhận ra (${list(p.values)})`
      : `Column “${p.column}”: choose the “${field(p.attribute, false)}” code for ${p.count} values Hatang does not know (${list(p.values)})`,
  formula_cell: (p, vi) =>
    vi
      ? `Ô ${p.cell} (cột “${p.column}”) chứa công thức (${p.formula}); Hạ tầng chỉ nhập giá trị: thay bằng giá trị (Sao chép, rồi Dán đặc biệt → Giá trị) và tải tệp lên lại`
      : `Cell ${p.cell} (column “${p.column}”) holds a formula (${p.formula}); Hatang imports values: replace it by its value (Copy, then Paste Special → Values) and upload again`,
  crs_not_allowed: (p, vi) =>
    vi ? `Định dạng ${String(p.format ?? '').toUpperCase()} chỉ dùng hệ toạ độ ${list(p.allowed)}` : `${String(p.format ?? '').toUpperCase()} takes only the CRS ${list(p.allowed)}`,
  duplicate_in_file: (p, vi) =>
    vi ? `Mã ${p.code} đã dùng ở dòng ${p.row} của tệp; mỗi mã chỉ xuất hiện một lần` : `The code ${p.code} is also used in row ${p.row} of the file; each code may appear once`,
  duplicate_member: (p, vi) =>
    vi ? `Trường “${p.member}” xuất hiện hai lần trong ${p.at}; mỗi trường chỉ gửi một lần` : `The member “${p.member}” appears twice in ${p.at}; send each member once`,
  method_not_allowed: (p, vi) => (vi ? `Địa chỉ này không nhận phương thức đó; chỉ nhận ${list(p.allow)}` : `This address does not take that method; it takes ${list(p.allow)}`),
  unpacked_too_large: (p, vi) =>
    vi ? `Tệp nén khi giải nén vượt quá giới hạn ${num(p.limit_mb, true, 0)} MiB` : `The zip unpacks to more than the limit of ${num(p.limit_mb, false, 0)} MiB`,
  too_many_entries: (p, vi) =>
    vi ? `Tệp nén chứa ${num(p.entries, true, 0)} tệp; mỗi lần nhập tối đa ${num(p.limit, true, 0)}` : `The zip holds ${num(p.entries, false, 0)} files; one import takes at most ${num(p.limit, false, 0)}`,
  zip_bomb: (p, vi) =>
    vi
      ? `Tệp nén giải nén ra gấp ${num(p.ratio, true, 0)} lần kích thước (tối đa ${num(p.limit, true, 0)} lần): có thể là “bom nén”, không nhập`
      : `The zip unpacks to ${num(p.ratio, false, 0)} times its size (at most ${num(p.limit, false, 0)}): a zip bomb, not imported`,
  database_unavailable: (_, vi) =>
    vi ? 'Cơ sở dữ liệu đang khởi động lại hoặc không truy cập được; vui lòng thử lại sau ít giây' : 'The database is restarting or cannot be reached; try again in a few seconds',
};

/** The problem worded from its code and params, or null for a code not listed here. */
export function wordedByCode(code: string | null | undefined, params: unknown, vi: boolean): string | null {
  const wording = code ? CODES[code] : undefined;
  if (!wording) return null;
  const p = params && typeof params === 'object' ? (params as Params) : {};
  return wording(p, vi);
}

/** The codes worded here (for tests). */
export const WORDED_CODES = Object.keys(CODES);
