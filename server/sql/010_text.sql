-- Text helpers. vi_fold is in the index street_name_folded (migration 0080):
-- a change to what it returns needs a migration that reindexes it too.

-- vi_fold (moved from migrations/0080_everyday_public.sql)
create or replace function vi_fold(text) returns text
language sql immutable strict parallel safe as $$
    select translate(lower($1),
        'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ',
        'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd')
$$;
