"""UserCountry: Where the visitor is: country, region, city, from a location provider."""
