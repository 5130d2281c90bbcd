-- One vector tile: the tile's envelope in Web Mercator and the sizes the layers
-- generalise by, then each requested layer's MVT, concatenated (a tile with
-- several layers is the concatenation of single-layer tiles).
-- $1 = zoom, $2 = x (column), $3 = y (row, from the north).
with tile as (
    select $1::integer as z,
           ST_TileEnvelope($1, $2, $3) as env,
           -- Features reaching into the 64-unit buffer are drawn too, so lines
           -- and symbols cross tile edges without a seam.
           ST_TileEnvelope($1, $2, $3, margin => 64.0 / 4096) as env_buffered,
           -- Clusters are counted over whole grid cells, including the cells of
           -- the neighbouring tiles whose clusters may fall in the buffer.
           ST_TileEnvelope($1, $2, $3, margin => 1.0 / {grid}) as env_cells,
           -- One screen pixel of a 512-pixel tile, and one cluster cell, in metres.
           40075016.68557849::float8 / 2 ^ $1::float8 / 512 as px,
           40075016.68557849::float8 / 2 ^ $1::float8 / {grid} as cell
)
select {layers}
