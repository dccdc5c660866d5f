"""The roles of frisat (no Django imports: the command line reads them before setup)."""

ROLES = {
    "ministry": "Ministeriet",
    "municipal_editor": "Kommunal redaktør",
    "municipal_viewer": "Kommunal læser",
    "institution_leader": "Institutionsleder",
}
