package annotate

import (
	"fmt"
	"time"
)

// readerProv is the provenance of a label the session's reader set.
func (s *Session) readerProv(src Source) Provenance {
	return Provenance{Source: src, Who: string(s.opt.Reader)}
}

// Relabel gives the beats at Samples the code Code. A beat that already
// has Code and was unreviewed becomes confirmed. With Set the beats are a
// set of look-alikes (a template cluster) and their provenance says the
// label was propagated from the reader (ActRelabelSet).
type Relabel struct {
	Samples []int64
	Code    Code
	Set     bool
	Why     string
}

// Action implements Command.
func (c Relabel) Action() Action {
	if c.Set {
		return ActRelabelSet
	}
	return ActRelabel
}

// Touched implements Command.
func (c Relabel) Touched() []int64 { return c.Samples }

func (c Relabel) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	src := SourceReader
	if c.Set {
		src = SourcePropagated
	}
	for _, at := range c.Samples {
		bt, ok := b.beat(at)
		if !ok {
			return CommitDo, Edit{}, fmt.Errorf("annotate: relabel at sample %d: %w", at, ErrNoBeat)
		}
		if bt.Code == c.Code && bt.Review == Unreviewed {
			bt.Review = Confirmed // the reader agrees with the suggestion
		} else if bt.Code != c.Code || !ReaderOwned(bt.Prov, bt.Review) {
			bt.Code, bt.Prov, bt.Review = c.Code, env.prov(src), Changed
		}
		b.putBeat(at, &bt)
	}
	return CommitDo, Edit{c.Action(), fmt.Sprintf("%d beats to %s", len(c.Samples), c.Code), c.Why}, nil
}

// Relabel gives the beats at samples the code c (see the Relabel command).
func (s *Session) Relabel(samples []int64, c Code, why string) error {
	_, _, err := s.Run(Relabel{Samples: samples, Code: c, Why: why})
	return err
}

// RelabelSet gives a whole set of look-alike beats (a template cluster) the
// code c; their provenance says the label was propagated from the reader.
func (s *Session) RelabelSet(samples []int64, c Code, why string) error {
	_, _, err := s.Run(Relabel{Samples: samples, Code: c, Set: true, Why: why})
	return err
}

// Insert adds a beat with code Code at Sample.
type Insert struct {
	Sample int64
	Code   Code
	Why    string
}

// Action implements Command.
func (Insert) Action() Action { return ActInsert }

// Touched implements Command.
func (c Insert) Touched() []int64 { return []int64{c.Sample} }

func (c Insert) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	if c.Sample < 0 {
		return CommitDo, Edit{}, fmt.Errorf("annotate: insert at sample %d: %w", c.Sample, ErrBadSample)
	}
	if _, ok := b.beat(c.Sample); ok {
		return CommitDo, Edit{}, fmt.Errorf("annotate: insert at sample %d: %w", c.Sample, ErrBeatExists)
	}
	b.putBeat(c.Sample, &Beat{Sample: c.Sample, Code: c.Code, Prov: env.prov(SourceReader), Review: Changed})
	b.putTomb(c.Sample, nil)
	return CommitDo, Edit{ActInsert, fmt.Sprintf("%s at %d", c.Code, c.Sample), c.Why}, nil
}

// Insert adds a beat with code c at sample.
func (s *Session) Insert(sample int64, c Code, why string) error {
	_, _, err := s.Run(Insert{Sample: sample, Code: c, Why: why})
	return err
}

// Delete removes the beats at Samples and remembers that the reader did.
type Delete struct {
	Samples []int64
	Why     string
}

// Action implements Command.
func (Delete) Action() Action { return ActDelete }

// Touched implements Command.
func (c Delete) Touched() []int64 { return c.Samples }

func (c Delete) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	for _, at := range c.Samples {
		if _, ok := b.beat(at); !ok {
			return CommitDo, Edit{}, fmt.Errorf("annotate: delete at sample %d: %w", at, ErrNoBeat)
		}
		b.putBeat(at, nil)
		b.putTomb(at, &Tomb{Sample: at, By: env.reader})
	}
	return CommitDo, Edit{ActDelete, fmt.Sprintf("%d beats", len(c.Samples)), c.Why}, nil
}

// Delete removes the beats at samples and remembers that the reader did.
func (s *Session) Delete(samples []int64, why string) error {
	_, _, err := s.Run(Delete{Samples: samples, Why: why})
	return err
}

// Move moves the beat at From to the sample To, keeping its label.
type Move struct {
	From, To int64
	Why      string
}

// Action implements Command.
func (Move) Action() Action { return ActMove }

// Touched implements Command.
func (c Move) Touched() []int64 { return []int64{c.From, c.To} }

func (c Move) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	if c.To < 0 {
		return CommitDo, Edit{}, fmt.Errorf("annotate: move to sample %d: %w", c.To, ErrBadSample)
	}
	bt, ok := b.beat(c.From)
	if !ok {
		return CommitDo, Edit{}, fmt.Errorf("annotate: move from sample %d: %w", c.From, ErrNoBeat)
	}
	if _, ok := b.beat(c.To); ok && c.To != c.From {
		return CommitDo, Edit{}, fmt.Errorf("annotate: move to sample %d: %w", c.To, ErrBeatExists)
	}
	b.putBeat(c.From, nil)
	b.putTomb(c.From, &Tomb{Sample: c.From, By: env.reader})
	bt.Sample, bt.Review = c.To, Changed
	b.putBeat(c.To, &bt)
	b.putTomb(c.To, nil)
	return CommitDo, Edit{ActMove, fmt.Sprintf("%d to %d", c.From, c.To), c.Why}, nil
}

// Move moves the beat at from to the sample to, keeping its label.
func (s *Session) Move(from, to int64, why string) error {
	_, _, err := s.Run(Move{From: from, To: to, Why: why})
	return err
}

// Confirm marks the beats at Samples as looked at and agreed with.
type Confirm struct {
	Samples []int64
	Why     string
}

// Action implements Command.
func (Confirm) Action() Action { return ActConfirm }

// Touched implements Command.
func (c Confirm) Touched() []int64 { return c.Samples }

func (c Confirm) build(b *builder, _ cmdEnv) (CommitKind, Edit, error) {
	for _, at := range c.Samples {
		bt, ok := b.beat(at)
		if !ok {
			return CommitDo, Edit{}, fmt.Errorf("annotate: confirm at sample %d: %w", at, ErrNoBeat)
		}
		if bt.Review == Unreviewed {
			bt.Review = Confirmed
			b.putBeat(at, &bt)
		}
	}
	return CommitDo, Edit{ActConfirm, fmt.Sprintf("%d beats", len(c.Samples)), c.Why}, nil
}

// Confirm marks the beats at samples as looked at and agreed with.
func (s *Session) Confirm(samples []int64, why string) error {
	_, _, err := s.Run(Confirm{Samples: samples, Why: why})
	return err
}

// SignOff marks the label set signed off by the reader, now.
type SignOff struct{ Why string }

// Action implements Command.
func (SignOff) Action() Action { return ActSignOff }

// Touched implements Command.
func (SignOff) Touched() []int64 { return nil }

func (c SignOff) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	b.setStatus(Status{State: StateSignedOff, By: env.reader, At: env.now().UTC()})
	return CommitDo, Edit{ActSignOff, string(env.reader), c.Why}, nil
}

// SignOff marks the label set signed off by the reader, now.
func (s *Session) SignOff(why string) error {
	_, _, err := s.Run(SignOff{Why: why})
	return err
}

// Reopen takes a signed-off label set back to in progress, so the reader
// may edit it again. Its audit entry holds who reopened it and when (the
// commit's reader and time), the sign-off it voids (the note, and the
// status before and after in the diff) and the reader's reason. Undo puts
// the sign-off back. On a label set that is not signed off it does nothing.
type Reopen struct{ Why string }

// Action implements Command.
func (Reopen) Action() Action { return ActReopen }

// Touched implements Command.
func (Reopen) Touched() []int64 { return nil }

func (c Reopen) build(b *builder, _ cmdEnv) (CommitKind, Edit, error) {
	st := b.l.status
	if st.State != StateSignedOff {
		b.setStatus(st) // no change: nothing to commit
		return CommitDo, Edit{ActReopen, "", c.Why}, nil
	}
	b.setStatus(Status{State: StateInProgress})
	note := fmt.Sprintf("signed off by %s at %s", st.By, st.At.UTC().Format(time.RFC3339))
	return CommitDo, Edit{ActReopen, note, c.Why}, nil
}

// Reopen takes a signed-off label set back to in progress (see the Reopen
// command).
func (s *Session) Reopen(why string) error {
	_, _, err := s.Run(Reopen{Why: why})
	return err
}
