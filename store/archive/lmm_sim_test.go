package archive

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"
)

// simCase is a simulated tidy table of known parameters: y = b0 + b1 x +
// the device's effect + the patient's intercept (variance groupVar) +
// noise (variance scale).
type simCase struct {
	name            string
	sizes           []int // rows per patient
	groupVar, scale float64
	missing         int // every missing-th row lacks its y (0: none)
	seed            uint64
}

// simDevices are the device levels and their effects on y.
var simDevices = []string{"mitdb", "nstdb", "svdb"}

// simEffects are the fixed effects: intercept, slope of x, nstdb, svdb.
var simEffects = []float64{3, 0.8, -1.5, 2}

// csv writes the simulated table.
func (s simCase) csv() string {
	rng := rand.New(rand.NewPCG(s.seed, 23))
	var b strings.Builder
	b.WriteString("y,x,device,patient\n")
	row := 0
	for g, n := range s.sizes {
		u := rng.NormFloat64() * math.Sqrt(s.groupVar)
		for range n {
			x := rng.Float64() * 10
			dev := rng.IntN(len(simDevices))
			y := simEffects[0] + simEffects[1]*x + u + rng.NormFloat64()*math.Sqrt(s.scale)
			if dev > 0 {
				y += simEffects[dev+1]
			}
			ys := fmt.Sprint(y)
			if s.missing > 0 && row%s.missing == 0 {
				ys = ""
			}
			fmt.Fprintf(&b, "%s,%g,%s,p%03d\n", ys, x, simDevices[dev], g)
			row++
		}
	}
	return b.String()
}

// sizesOf repeats n, g times.
func sizesOf(g, n int) []int {
	s := make([]int, g)
	for i := range s {
		s[i] = n
	}
	return s
}

// unbalanced gives group sizes 1..40 drawn with a seed.
func unbalanced(g int, seed uint64) []int {
	rng := rand.New(rand.NewPCG(seed, 1))
	s := make([]int, g)
	for i := range s {
		s[i] = 1 + rng.IntN(40)
	}
	return s
}

// simCases are the tables checked against statsmodels.
var simCases = []simCase{
	{name: "balanced", sizes: sizesOf(20, 10), groupVar: 4, scale: 1, seed: 1},
	{name: "unbalanced", sizes: unbalanced(30, 2), groupVar: 2, scale: 3, missing: 17, seed: 2},
	{name: "boundary", sizes: unbalanced(25, 3), groupVar: 0, scale: 2, seed: 3},
	{name: "tiny-group-var", sizes: sizesOf(15, 8), groupVar: 0.05, scale: 1, seed: 4},
	{name: "large-group-var", sizes: unbalanced(20, 5), groupVar: 400, scale: 0.5, seed: 5},
}
