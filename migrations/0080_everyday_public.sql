-- What the public and the search need (issue 12).
--
-- vi_fold: lower case without Vietnamese diacritics, so that "tran hung dao",
-- "Trần Hưng Đạo" and "TRẦN HƯNG ĐẠO" find the same street or ward. Plain
-- translate() rather than the unaccent extension, which a production database
-- may not have; đ is not a decomposed letter, so it is mapped by hand.
create function vi_fold(text) returns text
language sql immutable strict parallel safe as $$
    select translate(lower($1),
        'àáạảãâầấậẩẫăằắặẳẵèéẹẻẽêềếệểễìíịỉĩòóọỏõôồốộổỗơờớợởỡùúụủũưừứựửữỳýỵỷỹđ',
        'aaaaaaaaaaaaaaaaaeeeeeeeeeeeiiiiiooooooooooooooooouuuuuuuuuuuyyyyyd')
$$;

create index street_name_folded on street (vi_fold(name) text_pattern_ops);

-- The public's document of a tower also says when it was registered and last
-- changed, and its version (the asset page shows them); nothing commercial.
create or replace function asset_public_properties(a asset) returns jsonb
language plpgsql stable as $$
begin
    return (
        select jsonb_build_object(
                   'kind', a.kind, 'code', a.code, 'name', a.name,
                   'operator', o.code, 'operator_name', o.short_name, 'status', a.status,
                   'ward_code', w.gso_code, 'ward_name', w.name,
                   'tower_class', t.tower_class, 'height_m', t.height_m, 'placement', t.placement,
                   'technologies', t.technologies,
                   'created_at', a.created_at, 'updated_at', a.updated_at, 'version', a.version)
        from operator o
        left join admin_unit w on w.id = a.ward_id
        left join tower t on t.asset_id = a.id
        where o.id = a.owner_id);
end
$$;
