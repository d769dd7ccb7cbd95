"""Physical constants, each with its source.

SI units throughout. Each value names its source below (checked 2026-11-24).
"""

#: Stefan-Boltzmann constant, W m^-2 K^-4. Source: CODATA 2018.
STEFAN_BOLTZMANN_W_M2_K4 = 5.670374419e-8

#: Standard gravity, m s^-2. Source: CGPM 1901 (exact by definition).
G0_M_S2 = 9.80665

#: Earth's gravitational parameter, m^3 s^-2. Source: WGS 84 / IERS (398600.4418 km^3/s^2).
MU_EARTH_M3_S2 = 398600.4418e9

#: Earth's equatorial radius, km. Source: WGS 84 (6378.137 km).
R_EARTH_KM = 6378.137

#: Solar constant at 1 AU (AM0), W m^-2. Source: Kopp & Lean 2011 (1361); Suncatcher uses
#: 1.361 kW/m2 (Aguera y Arcas et al. 2025, section 4.4).
SOLAR_CONSTANT_W_M2 = 1361.0

#: Earth mean outgoing IR flux, W m^-2, and Bond albedo. Source: McCalip calculator
#: constants (math.js), consistent with standard Earth energy budget values.
EARTH_IR_W_M2 = 237.0
EARTH_ALBEDO = 0.30

#: Deep-space sink temperature, K. Source: cosmic microwave background (~2.7 K); McCalip uses 3 K.
DEEP_SPACE_K = 3.0

#: Hours in a (non-leap) year; Suncatcher (Aguera y Arcas et al. 2025) and the Starcloud
#: white paper's cost table use 8,760.
HOURS_PER_YEAR = 8760.0

#: Seconds in a Julian year (used for rates per year).
SECONDS_PER_YEAR = 365.25 * 86400.0
