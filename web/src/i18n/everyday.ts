// Messages of the everyday seams of issue 12 (public search and views, street
// labels, basemaps, print, measure, tenancies, value mapping, pickers), in
// Vietnamese (the default) and English. Spread into vi.ts and en.ts, so `t()`
// checks these keys like the others; every key must be in both.

export const everydayVi = {
  'search.streets': 'Đường phố',
  'search.partial': 'Một phần không tìm được:',
  'asset.nameless': 'Chưa đặt tên',
} as const;

type EverydayKey = keyof typeof everydayVi;

export const everydayEn: Record<EverydayKey, string> = {
  'search.streets': 'Streets',
  'search.partial': 'Some of the search could not be done:',
  'asset.nameless': 'No name',
};
