#!/usr/bin/env python3
"""Synthetic provinces and wards of Vietnam for the national benchmark data set.

Prints a COPY-ready text stream (tab-separated) of wards:
    province_code  ward_code  x0  y0  size  mass
where (x0, y0) is the south-west corner of a square cell of `size` degrees and
`mass` the cell's share of the national population (the sum over all wards is 1).

The 34 provinces of the 2025 organisation (Resolution 202/2025/QH15) are
given by their main towns: the provincial capital and the former capitals of
the provinces merged into it, with a rough urban population each. Population
density is a sum of Gaussian bumps around those towns (a city is dense at its
centre and thins out over tens of kilometres). Wards are the leaves of a
quadtree over Vietnam's extent: a cell is split while it holds more than a
fixed share of the population, so a city centre gets wards of about a kilometre
and the countryside wards of ten kilometres or more, as real ones are. Cells
far from every town (sea, Laos, Cambodia) are dropped. Each leaf belongs to the
province of the town that contributes most to it.

Deterministic: no randomness at all, the same output on every machine.
"""

import math
import sys

# (GSO-like province code, name, [(lon, lat, urban population in thousands), ...])
# Codes follow the 2025 list where we know it; they are illustrative, and the
# data set is synthetic (see README.md).
PROVINCES = [
    ("01", "Hà Nội", [(105.85, 21.03, 5000), (105.50, 21.14, 200), (105.79, 20.83, 250)]),
    ("04", "Cao Bằng", [(106.26, 22.67, 90)]),
    ("08", "Tuyên Quang", [(105.22, 21.82, 110), (104.98, 22.82, 80)]),
    ("11", "Điện Biên", [(103.02, 21.39, 80)]),
    ("12", "Lai Châu", [(103.46, 22.40, 60)]),
    ("14", "Sơn La", [(103.91, 21.33, 110), (104.65, 20.85, 40)]),
    ("15", "Lào Cai", [(103.97, 22.48, 130), (104.87, 21.72, 120), (103.84, 22.34, 40)]),
    ("19", "Thái Nguyên", [(105.84, 21.59, 400), (105.83, 22.15, 50)]),
    ("20", "Lạng Sơn", [(106.76, 21.85, 150)]),
    ("22", "Quảng Ninh", [(107.08, 20.95, 350), (107.97, 21.52, 100), (106.77, 21.02, 120)]),
    ("24", "Bắc Ninh", [(106.08, 21.18, 500), (106.19, 21.27, 250)]),
    ("25", "Phú Thọ", [(105.40, 21.32, 250), (105.60, 21.31, 250), (105.34, 20.82, 130)]),
    ("31", "Hải Phòng", [(106.68, 20.86, 1200), (106.33, 20.94, 400), (106.67, 20.96, 150)]),
    ("33", "Hưng Yên", [(106.05, 20.65, 150), (106.34, 20.45, 200), (106.00, 20.93, 120)]),
    ("37", "Ninh Bình", [(105.97, 20.25, 180), (106.17, 20.43, 350), (105.92, 20.54, 120)]),
    ("38", "Thanh Hóa", [(105.78, 19.81, 600), (105.86, 19.75, 80), (105.82, 20.09, 60)]),
    ("40", "Nghệ An", [(105.68, 18.67, 550), (105.43, 19.24, 80)]),
    ("42", "Hà Tĩnh", [(105.90, 18.34, 200), (106.29, 18.05, 50)]),
    ("44", "Quảng Trị", [(107.10, 16.75, 100), (106.62, 17.47, 200)]),
    ("46", "Huế", [(107.58, 16.46, 500)]),
    ("48", "Đà Nẵng", [(108.21, 16.05, 1200), (108.47, 15.57, 130), (108.33, 15.88, 100)]),
    ("51", "Quảng Ngãi", [(108.80, 15.12, 260), (108.00, 14.35, 170), (108.85, 14.97, 40)]),
    ("52", "Gia Lai", [(108.00, 13.98, 250), (109.22, 13.78, 300), (108.65, 14.00, 40)]),
    ("56", "Khánh Hòa", [(109.19, 12.24, 420), (108.99, 11.56, 180), (109.16, 11.92, 60)]),
    ("66", "Đắk Lắk", [(108.04, 12.67, 380), (109.30, 13.09, 160)]),
    ("68", "Lâm Đồng", [(108.44, 11.94, 230), (107.69, 12.00, 70), (108.10, 10.93, 250), (107.80, 11.55, 60)]),
    ("75", "Đồng Nai", [(106.82, 10.95, 1100), (106.90, 11.54, 100), (107.05, 10.78, 80)]),
    ("79", "Hồ Chí Minh", [(106.70, 10.78, 8000), (106.65, 10.98, 700), (107.08, 10.35, 450), (106.75, 11.10, 200)]),
    ("80", "Tây Ninh", [(106.10, 11.31, 150), (106.41, 10.54, 200), (106.48, 10.65, 60)]),
    ("82", "Đồng Tháp", [(105.63, 10.46, 170), (106.36, 10.36, 230), (105.76, 10.29, 80)]),
    ("86", "Vĩnh Long", [(105.97, 10.25, 150), (106.38, 10.24, 150), (106.34, 9.93, 110)]),
    ("91", "An Giang", [(105.43, 10.38, 300), (105.08, 10.01, 230), (103.96, 10.23, 100), (105.12, 10.70, 100)]),
    ("92", "Cần Thơ", [(105.78, 10.03, 1000), (105.97, 9.60, 150), (105.47, 9.78, 70)]),
    ("96", "Cà Mau", [(105.15, 9.18, 230), (105.72, 9.29, 160)]),
]

# A town's bump is its urban core (σ ≈ 7 km for a town of a million), and each
# province also has a countryside of RURAL thousand people spread in wide bumps
# (σ = 0.4°, about 45 km) around its towns: about 40 million people in towns
# and 50 million in the countryside, as in Vietnam.
RURAL = 1500
RURAL_SIGMA = 0.4
KEEP_WITHIN = 0.9  # degrees: cells farther than this from every town are dropped
MAX_SIZE = 0.2  # degrees: no ward is wider than about 22 km


def core_sigma(thousands):
    return 0.05 * math.sqrt(thousands / 1000.0) + 0.02


TOWNS = [
    (code, lon, lat, pop, core_sigma(pop), RURAL / len(towns))
    for code, _, towns in PROVINCES
    for lon, lat, pop in towns
]


def density_parts(x, y):
    """Population density per town at (x, y), in people per square degree."""
    parts = []
    for code, lon, lat, pop, sigma, rural_pop in TOWNS:
        d2 = (x - lon) ** 2 + (y - lat) ** 2
        core = pop * math.exp(-d2 / (2 * sigma * sigma)) / (2 * math.pi * sigma * sigma)
        rural = rural_pop * math.exp(-d2 / (2 * RURAL_SIGMA**2)) / (2 * math.pi * RURAL_SIGMA**2)
        parts.append((code, core + rural))
    return parts


def cell_mass(x0, y0, size, samples=4):
    """Population in a cell (midpoint rule) and the province contributing most."""
    total = {}
    step = size / samples
    for i in range(samples):
        for j in range(samples):
            x = x0 + (i + 0.5) * step
            y = y0 + (j + 0.5) * step
            for code, value in density_parts(x, y):
                total[code] = total.get(code, 0.0) + value * step * step
    code = max(total, key=total.get)
    return sum(total.values()), code


def near_a_town(x0, y0, size):
    cx, cy = x0 + size / 2, y0 + size / 2
    return any(math.hypot(cx - lon, cy - lat) <= KEEP_WITHIN + size for _, lon, lat, _, _, _ in TOWNS)


def leaves(threshold, min_size):
    """Quadtree leaves over Vietnam's extent (lon 102.0–110.0, lat 8.4–23.6)."""
    stack = []
    size = 0.8
    y = 8.4
    while y < 23.6:
        x = 102.0
        while x < 110.0:
            stack.append((x, y, size))
            x += size
        y += size
    out = []
    while stack:
        x0, y0, size = stack.pop()
        if not near_a_town(x0, y0, size):
            continue
        mass, code = cell_mass(x0, y0, size)
        if (mass > threshold or size > MAX_SIZE) and size / 2 >= min_size:
            half = size / 2
            stack.extend([(x0, y0, half), (x0 + half, y0, half), (x0, y0 + half, half), (x0 + half, y0 + half, half)])
        elif mass > threshold * 0.02:  # nearly empty cells (open sea, mountains far from towns) are not wards
            out.append((x0, y0, size, mass, code))
    return out


def main():
    target = int(sys.argv[1]) if len(sys.argv) > 1 else 3300
    # Find the split threshold that gives about `target` wards (bisection on a log scale).
    lo, hi = 1.0, 5000.0
    cells = []
    for _ in range(30):
        mid = math.sqrt(lo * hi)
        cells = leaves(mid, 0.0125)
        if abs(len(cells) - target) <= target * 0.02:
            break
        if len(cells) > target:
            lo = mid
        else:
            hi = mid
    cells.sort(key=lambda c: (c[4], round(c[1], 6), round(c[0], 6)))
    total = sum(c[3] for c in cells)
    numbers = {}
    for x0, y0, size, mass, code in cells:
        numbers[code] = numbers.get(code, 0) + 1
        ward_code = f"{code}{numbers[code]:03d}"
        print(f"{code}\t{ward_code}\t{x0:.6f}\t{y0:.6f}\t{size:.6f}\t{mass / total:.10f}")
    print(f"wards.py: {len(cells)} wards in {len(numbers)} provinces", file=sys.stderr)


if __name__ == "__main__":
    main()
