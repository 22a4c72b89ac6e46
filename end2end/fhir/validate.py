"""Parses FHIR JSON files with fhir.resources 6.5 (an independent model of FHIR R4, 4.0.1).

Exits 1 and prints the model's errors when a file does not parse: an unknown element, a wrong
type, a missing required element. Used by the browser tests of the SAS interface.
"""
import json
import sys

from fhir.resources import construct_fhir_element

failed = False
for path in sys.argv[1:]:
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    try:
        construct_fhir_element(data["resourceType"], data)
    except Exception as error:  # the model's validation errors, whatever their class
        failed = True
        print(f"{path}: {error}")
sys.exit(1 if failed else 0)
