// The server states problems in English (`details[].problem`). Those of the
// administration, account and import screens are said here in the person's
// language; any other is shown as the server wrote it.

import { lang } from './index';
import { wordedByCode } from './problemCodes';

type Pattern = [RegExp, string, string];

const PATTERNS: Pattern[] = [
  [/^must have at least (\d+) characters$/, 'Cần ít nhất $1 ký tự', 'Must have at least $1 characters'],
  [/^must have at most (\d+) characters$/, 'Tối đa $1 ký tự', 'Must have at most $1 characters'],
  [/^must have 1 to (\d+) characters$/, 'Cần từ 1 đến $1 ký tự', 'Must have 1 to $1 characters'],
  [/^must not contain the username$/, 'Không được chứa tên đăng nhập', 'Must not contain the username'],
  [/^is not your current password$/, 'Mật khẩu hiện tại không đúng', 'This is not your current password'],
  [/^3 to 40 of a–z.*$/, 'Từ 3 đến 40 ký tự: chữ thường không dấu a–z, số 0–9, dấu chấm, gạch ngang, gạch dưới', '3 to 40 of a–z, 0–9, ".", "-" and "_"'],
  [/^(.+) is already taken$/, 'Tên đăng nhập “$1” đã có người dùng', 'The username “$1” is already taken'],
  [/^required for an operator member$/, 'Bắt buộc với thành viên doanh nghiệp', 'Required for an operator member'],
  [/^(.+) is not a registered operator$/, '“$1” không phải doanh nghiệp đã đăng ký', '“$1” is not a registered operator'],
  [/^only operator members belong to an operator$/, 'Chỉ thành viên doanh nghiệp mới thuộc một doanh nghiệp', 'Only operator members belong to an operator'],
  [/^only reviewers and planners have a scope$/, 'Chỉ cán bộ phường và cán bộ quy hoạch có địa bàn', 'Only reviewers and planners have a scope'],
  [
    /^(.+) is not the GSO code of a current ward or province$/,
    '“$1” không phải mã của phường, xã hoặc tỉnh đang có hiệu lực',
    '“$1” is not the code of a current ward or province',
  ],
  [
    /^you cannot disable yourself or give up your own admin role$/,
    'Bạn không thể tự khoá tài khoản của mình hoặc bỏ vai trò quản trị của chính mình',
    'You cannot disable yourself or give up your own admin role',
  ],
  [
    /^2 to 20 of A–Z.*$/,
    'Từ 2 đến 20 ký tự: chữ in hoa A–Z, số, gạch ngang, gạch dưới; bắt đầu bằng chữ hoặc số',
    '2 to 20 of A–Z, 0–9, "-" and "_", starting with a letter or digit',
  ],
  [/^one of telecom, power, lighting, other$/, 'Chọn một lĩnh vực trong danh sách', 'Choose one of the sectors'],
  [/^is not an e-mail address$/, 'Không phải địa chỉ thư điện tử', 'Not an e-mail address'],
  [/^(.+) is already registered$/, 'Mã “$1” đã được đăng ký', '“$1” is already registered'],
  [/^an operator's code cannot change$/, 'Không thể đổi mã doanh nghiệp', "An operator's code cannot change"],
  [/^must be from 1 to 3650$/, 'Từ 1 đến 3650 ngày', 'From 1 to 3650 days'],
  [/^unknown; one of (.+)$/, 'Không có quy định này; chọn một trong: $1', 'Unknown; one of $1'],
  [/^must have `(.+)`$/, 'Giá trị phải có trường “$1”', 'The value must have “$1”'],
  [/^is before valid_from$/, 'Trước ngày bắt đầu hiệu lực', 'Is before the start of validity'],
  [/^required: the document and article the rule comes from$/, 'Bắt buộc: văn bản và điều khoản quy định', 'Required: the document and article the rule comes from'],
  [/^a two-digit GSO province code$/, 'Mã tỉnh gồm 2 chữ số', 'A two-digit province code'],
  [/^is not in (\d{4})$/, 'Không thuộc năm $1', 'Is not in $1'],
  [/^required$/, 'Bắt buộc', 'Required'],
  [/^only a Saturday or Sunday can be a worked day$/, 'Chỉ thứ Bảy hoặc Chủ nhật mới có thể là ngày làm bù', 'Only a Saturday or Sunday can be a worked day'],
  [/^(\d{4})-(\d{2})-(\d{2}) is listed twice$/, 'Ngày $3/$2/$1 bị nhập hai lần', '$3/$2/$1 is listed twice'],
  [/^the file has no such column$/, 'Tệp không có cột này', 'The file has no such column'],
  [/^(\w+) is already taken from column "(.+)"$/, 'Thuộc tính $1 đã được gán cho cột “$2”', '$1 is already taken from column “$2”'],
  [
    /^no column is mapped to code.*$/,
    'Chưa có cột nào gán cho “Mã tài sản” (code): thuộc tính này bắt buộc, và là căn cứ để lần nhập sau cập nhật đúng tài sản thay vì tạo trùng',
    'No column is mapped to code: it is required, and it is how a later import finds the asset to update',
  ],
  [/^map both x and y, or neither$/, 'Gán cả hai cột x và y, hoặc không gán cột nào', 'Map both x and y, or neither'],
  [
    /^the file has no geometry.*$/,
    'Tệp không có hình học: gán hai cột cho x và y (kinh độ/vĩ độ hoặc toạ độ Đông/Bắc), hoặc một cột cho wkt',
    'The file has no geometry: map two columns to x and y (longitude/latitude or easting/northing), or one to wkt',
  ],
  [/^must be more than (\S+) and at most (\S+) metres$/, 'Phải lớn hơn $1 m và tối đa $2 m', 'Must be more than $1 m and at most $2 m'],
  [/^unknown variant `(.*)`, expected one of (.+)$/, 'Giá trị “$1” không hợp lệ; chọn một trong: $2', 'The value “$1” is not allowed; one of: $2'],
  [
    /^\[(.+)\] looks like latitude and longitude swapped.*$/,
    'Toạ độ [$1] có vẻ bị đảo vĩ độ và kinh độ (kinh độ phải đứng trước)',
    '[$1] looks like latitude and longitude swapped (longitude comes first)',
  ],
  [/^missing field `(.+)`$/, 'Thiếu “$1”', 'Missing “$1”'],
  [/^must not be empty$/, 'Không được để trống', 'Must not be empty'],
  [/^must be a number$/, 'Phải là một số', 'Must be a number'],
  [/^the file holds no rows$/, 'Tệp không có dòng nào', 'The file holds no rows'],
  [/^the file is empty$/, 'Tệp rỗng', 'The file is empty'],
  [
    /^the file has (\d+) rows; one import takes at most (\d+): split it into several files$/,
    'Tệp có $1 dòng; mỗi lần nhập tối đa $2 dòng — hãy chia thành nhiều tệp',
    'The file has $1 rows; one import takes at most $2 — split it into several files',
  ],
];

/** A problem as the server sends it: its English text, and its code with params when it has one. */
export type ServerProblem = string | { problem: string; code?: string | null; params?: unknown };

/** A problem from the server, in the person's language when it is a known one
 * (by its code first, then by its English text). */
export function problemText(given: ServerProblem): string {
  const problem = typeof given === 'string' ? given : given.problem;
  if (typeof given !== 'string') {
    const worded = wordedProblem(given.code, given.params);
    if (worded) return worded;
  }
  for (const [pattern, vi, en] of PATTERNS) {
    if (pattern.test(problem)) return problem.replace(pattern, lang() === 'vi' ? vi : en);
  }
  return problem;
}

// Problems by their code and params (`details[].code`, `.params`): the codes
// of the field's problems first; a code not worded here falls back to the
// patterns above, then to the server's words.

type Params = Record<string, unknown>;
type Words = (p: Params, vi: boolean) => string | null;

function list(value: unknown): string {
  return Array.isArray(value) ? value.join(', ') : String(value ?? '');
}

function number(value: unknown, vi: boolean): string {
  return typeof value === 'number' ? value.toLocaleString(vi ? 'vi-VN' : 'en-GB') : String(value ?? '');
}

const UNITS: Record<string, [string, string]> = { m: [' m', ' m'], '%': ['%', '%'], working_days: [' ngày làm việc', ' working days'] };

const BY_CODE: Record<string, Words> = {
  required: (_p, vi) => (vi ? 'Bắt buộc' : 'Required'),
  empty: (_p, vi) => (vi ? 'Không được để trống' : 'Must not be empty'),
  too_long: (p, vi) => (vi ? `Tối đa ${number(p.max, vi)} ký tự` : `At most ${number(p.max, vi)} characters`),
  out_of_range: (p, vi) => {
    if (p.min === undefined || p.max === undefined) return null;
    const unit = UNITS[String(p.unit ?? '')]?.[vi ? 0 : 1] ?? '';
    return vi ? `Phải từ ${number(p.min, vi)} đến ${number(p.max, vi)}${unit}` : `Must be from ${number(p.min, vi)} to ${number(p.max, vi)}${unit}`;
  },
  unknown_value: (p, vi) => (vi ? `Giá trị “${String(p.value ?? '')}” không hợp lệ; chọn một trong: ${list(p.allowed)}` : `“${String(p.value ?? '')}” is not allowed; one of: ${list(p.allowed)}`),
  read_only: (_p, vi) => (vi ? 'Không thay đổi được' : 'Cannot be changed'),
  not_in_vietnam: (_p, vi) => (vi ? 'Vị trí không thuộc Việt Nam' : 'The place is not in Vietnam'),
  coordinates_swapped: (_p, vi) => (vi ? 'Có vẻ bị đảo vĩ độ và kinh độ (kinh độ đứng trước)' : 'Latitude and longitude look swapped (longitude comes first)'),
  not_an_email: (_p, vi) => (vi ? 'Không phải địa chỉ thư điện tử' : 'Not an e-mail address'),
  not_a_phone_number: (_p, vi) => (vi ? 'Không phải số điện thoại' : 'Not a telephone number'),
  must_be_empty: (_p, vi) => (vi ? 'Trường này phải để trống' : 'This field must stay empty'),
  challenge_failed: (p, vi) =>
    p.why === 'expired' || p.why === 'used'
      ? vi ? 'Mã chống spam đã hết hạn hoặc đã dùng; hãy gửi lại' : 'The anti-spam check expired or was used; send again'
      : vi ? 'Không qua được bước chống spam; hãy tải lại trang và gửi lại' : 'The anti-spam check failed; reload the page and send again',
  wrong_role: (p, vi) => (p.role === 'reviewer' ? (vi ? 'Phải là cán bộ phường' : "Must be one of the ward's staff") : vi ? 'Sai vai trò' : 'Wrong role'),
  not_applicable: (p, vi) => (vi ? `Mục này không áp dụng cho loại tài sản ${String(p.kind ?? '')}` : `Does not apply to a ${String(p.kind ?? '')}`),
  both_or_neither: (_p, vi) => (vi ? 'Nhập cả hai, hoặc bỏ trống cả hai' : 'Give both, or neither'),
  unsupported_type: (_p, vi) => (vi ? 'Chỉ nhận ảnh JPEG, PNG hoặc WebP' : 'Only JPEG, PNG or WebP images'),
  too_large: (p, vi) => {
    const mb = typeof p.max_bytes === 'number' ? Math.round(p.max_bytes / (1024 * 1024)) : null;
    return mb === null ? null : vi ? `Tệp lớn hơn ${mb} MB` : `Larger than ${mb} MB`;
  },
  too_many: (p, vi) => (vi ? `Tối đa ${number(p.max, vi)}` : `At most ${number(p.max, vi)}`),
  idempotency_key_reused: (_p, vi) => (vi ? 'Mã gửi lại đã dùng cho một yêu cầu khác' : 'The retry key was used for another request'),
  in_progress: (_p, vi) => (vi ? 'Yêu cầu trước vẫn đang được xử lý; thử lại sau giây lát' : 'The first request is still being handled; try again shortly'),
  wrong_state: (_p, vi) => (vi ? 'Không làm được ở trạng thái hiện tại' : 'Not possible in its present state'),
  already_open: (_p, vi) => (vi ? 'Đã có một vi phạm đang mở cho việc này' : 'A violation is already open for this'),
  not_your_step: (p, vi) =>
    p.side === 'operator'
      ? vi ? 'Chỉ doanh nghiệp được giao mới làm bước này' : 'Only the operator it is assigned to takes this step'
      : vi ? 'Chỉ cán bộ phường mới làm bước này' : "Only the ward's staff take this step",
  outside_wards: (_p, vi) => (vi ? 'Vị trí nằm ngoài các phường Hatang phục vụ; hãy báo UBND địa phương' : "The place is outside every ward Hatang serves; report it to the local People's Committee"),
  changed: (p, vi) => (vi ? `${String(p.before ?? '')} → ${String(p.after ?? '')} (${String(p.actor ?? '')}, ${String(p.at ?? '')})` : null),
  already_exists: (p, vi) => (vi ? `“${String(p.value ?? '')}” đã có` : `“${String(p.value ?? '')}” already exists`),
  not_found: (p, vi) => {
    const value = String(p.value ?? '');
    switch (p.what) {
      case 'operator':
        return vi ? `“${value}” không phải doanh nghiệp đã đăng ký` : `“${value}” is not a registered operator`;
      case 'user':
        return vi ? `Không có người dùng “${value}”` : `There is no active user “${value}”`;
      case 'asset':
        return vi ? `Không có tài sản ${value}` : `There is no asset ${value}`;
      default:
        return null;
    }
  },
};

/** A problem in the person's language: by its code when worded, else by its words (= problemText). */
export function problemWords(detail: { problem: string; code?: string | null; params?: unknown }): string {
  return problemText(detail);
}

/** A code with its params in the person's language (either table: problemCodes.ts, then BY_CODE), or null. */
export function wordedProblem(code: string | null | undefined, params: unknown): string | null {
  if (!code) return null;
  const vi = lang() === 'vi';
  const byIssue13 = wordedByCode(code, params, vi);
  if (byIssue13) return byIssue13;
  const words = BY_CODE[code] ?? REFUSALS[code];
  return words?.(params && typeof params === 'object' ? (params as Params) : {}, vi) ?? null;
}

// Refusals of a whole request: the `reason` and `params` of a 401, 403, 409,
// 429 or 503 (`error.reason`), worded so that a person learns why, not only
// that it was refused. The policy's `action` keys (policy.rs) say what.

const ACTIONS: Record<string, [string, string]> = {
  administer: ['quản trị hệ thống', 'administer Hatang'],
  answer_challenges: ['trả lời khiếu nại về số liệu', 'answer challenges'],
  declare_values: ['khai báo số liệu này', 'declare these values'],
  edit_checklists: ['sửa danh mục kiểm tra', 'edit checklists'],
  edit_plan: ['sửa kế hoạch này', 'edit this plan'],
  file: ['nộp số liệu', 'file data'],
  manage_calls: ['quản lý đợt thu thập số liệu', 'manage data calls'],
  manage_tokens: ['quản lý mã API của doanh nghiệp này', "manage this operator's API tokens"],
  manage_ward_plans: ['quản lý kế hoạch của phường, xã', "manage the ward's plans"],
  read_assets: ['xem tài sản', 'read assets'],
  read_calls: ['xem đợt thu thập số liệu', 'read data calls'],
  read_challenges: ['xem khiếu nại về số liệu', 'read challenges'],
  read_change_log: ['xem nhật ký thay đổi', 'read the change log'],
  read_filings: ['xem số liệu đã nộp', 'read filings'],
  read_history: ['xem lịch sử thay đổi', 'read the change history'],
  read_incidents: ['xem sự cố, phản ánh', 'read incidents'],
  read_inspections: ['xem đợt kiểm tra', 'read inspections'],
  read_permits: ['xem hồ sơ cấp phép', 'read permit applications'],
  read_plans: ['xem kế hoạch', 'read plans'],
  read_reports: ['xem báo cáo năm', 'read yearly reports'],
  read_undergrounding: ['xem số liệu ngầm hóa', 'read undergrounding data'],
  read_violations: ['xem vi phạm', 'read violations'],
  record: ['ghi nhận việc này', 'record this'],
  review_permits: ['thẩm định hồ sơ cấp phép', 'review permit applications'],
  send_report_parts: ['gửi phần báo cáo', 'send report parts'],
  triage_challenges: ['phân loại khiếu nại', 'triage challenges'],
  write_assets: ['đăng ký hoặc sửa tài sản', 'register or change assets'],
  write_reports: ['soạn báo cáo năm', 'write yearly reports'],
};

function action(p: Params, vi: boolean): string {
  const words = ACTIONS[String(p.action ?? '')];
  return words ? words[vi ? 0 : 1] : vi ? 'làm việc này' : 'do this';
}

const REFUSALS: Record<string, Words> = {
  login_required: (p, vi) => (vi ? `Hãy đăng nhập để ${action(p, true)}.` : `Sign in to ${action(p, false)}.`),
  role_may_not: (p, vi) => (vi ? `Vai trò của bạn không được ${action(p, true)}.` : `Your role may not ${action(p, false)}.`),
  not_own_operator: (p, vi) =>
    p.operator
      ? vi ? `${String(p.operator)} chỉ được thay đổi tài sản của chính mình; tài sản này thuộc doanh nghiệp khác.` : `${String(p.operator)} may change only its own assets; this one belongs to another operator.`
      : vi ? 'Chỉ doanh nghiệp sở hữu mới được làm việc này.' : 'Only the owning operator may do this.',
  outside_scope: (_p, vi) => (vi ? 'Việc này thuộc phường, xã ngoài phạm vi bạn phụ trách.' : 'This is in a ward outside the ones you cover.'),
  token_may_not: (_p, vi) => (vi ? 'Mã API không được làm việc này; hãy đăng nhập bằng tài khoản của một người.' : 'An API token may not do this; sign in as a person.'),
  too_many_requests: (p, vi) =>
    typeof p.retry_after_seconds === 'number'
      ? vi ? `Quá nhiều lần thử; hãy thử lại sau ${number(p.retry_after_seconds, true)} giây.` : `Too many attempts; try again in ${number(p.retry_after_seconds, false)} seconds.`
      : null,
  conflict: (p, vi) =>
    typeof p.expected === 'number' && typeof p.current === 'number'
      ? vi ? `Đã có người khác lưu thay đổi trước bạn (bạn sửa phiên bản ${p.expected}, nay là ${p.current}); tải lại để xem.` : `Someone else saved a change first (you edited version ${p.expected}, it is now ${p.current}); reload to see it.`
      : null,
  public_url_missing: (_p, vi) =>
    vi ? 'Máy chủ chưa được khai báo địa chỉ công khai (--public-url) nên chưa in được giấy phép; hãy báo quản trị hệ thống.' : 'The server has no public address (--public-url), so permits are not printed; tell the system administrator.',
  pdf_unavailable: (_p, vi) => (vi ? 'Máy chủ chưa tạo được tệp PDF; hãy báo quản trị hệ thống.' : 'The server cannot make PDF files now; tell the system administrator.'),
  no_plan_for_year: (p, vi) => (vi ? `Chưa có kế hoạch nào cho năm ${String(p.year ?? '')}.` : `No plan covers ${String(p.year ?? '')}.`),
};
