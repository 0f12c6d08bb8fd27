package trace

// UnitsPerMV returns how many of a lead's physical units (its Units: "mV",
// "uV", "µV", "V"...) make one mV: the scale the frame draws a lead at, so
// a measurement on the strip and the trace drawn agree. Unknown units
// count as mV.
func UnitsPerMV(units string) float64 { return unitsPerMV(units) }
