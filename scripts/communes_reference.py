#!/usr/bin/env python3
"""Builds server/data/communes-france.csv, the reference list of French communes Relais ships.

Inputs (both open data, Licence Ouverte / Etalab 2.0):
  1. the communes of the Code officiel géographique (INSEE), as published on npm by Etalab in
     @etalab/decoupage-administratif (data/communes.json): codes, official names, départements,
     postcodes of the communes as they are today;
  2. La Poste's *Base officielle des codes postaux* (laposte_hexasmal.csv, `;`-separated, with
     latitude and longitude columns): one point per commune.

A commune of today takes the point of its INSEE code; a commune nouvelle La Poste does not know
yet takes that of the first of its former communes it knows (its chef-lieu first); Paris, Lyon and
Marseille take that of their first arrondissement. Communes without any point are left out and
counted on stderr.

    npm pack @etalab/decoupage-administratif@6.0.0 && tar xzf etalab-decoupage-administratif-6.0.0.tgz
    python3 scripts/communes_reference.py laposte_hexasmal.csv package/data/communes.json > server/data/communes-france.csv
"""
import csv
import json
import sys


def main(laposte_path, cog_path):
    points = {}
    with open(laposte_path, encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter=";"):
            code = row["Code_commune_INSEE"]
            lat, lon = row.get("latitude"), row.get("longitude")
            if not (lat and lon) and row.get("coordonnees_gps"):
                lat, lon = (x.strip() for x in row["coordonnees_gps"].split(","))
            if code not in points and lat and lon:
                points[code] = (float(lat), float(lon))
    with open(cog_path, encoding="utf-8") as f:
        cog = json.load(f)
    arrondissements = {}
    for c in cog:
        if c["type"] == "arrondissement-municipal":
            arrondissements.setdefault(c["commune"], []).append(c["code"])
    out = csv.writer(sys.stdout, delimiter=";", lineterminator="\n")
    out.writerow(["code_insee", "nom", "departement", "codes_postaux", "latitude", "longitude"])
    missing = []
    for c in sorted((c for c in cog if c["type"] == "commune-actuelle"), key=lambda c: c["code"]):
        candidates = [c["code"], *c.get("anciensCodes", []), *sorted(arrondissements.get(c["code"], []))]
        point = next((points[k] for k in candidates if k in points), None)
        if point is None:
            missing.append(f'{c["code"]} {c["nom"]}')
            continue
        out.writerow([c["code"], c["nom"], c["departement"], ",".join(c.get("codesPostaux", [])),
                      f"{point[0]:.4f}", f"{point[1]:.4f}"])
    print(f"{len(missing)} communes without a point: {', '.join(missing)}", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
