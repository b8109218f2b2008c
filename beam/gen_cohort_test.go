package kpibeam_test

import (
	"fmt"
	"math/rand/v2"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"
	"github.com/shopspring/decimal"

	"github.com/kpiflow/kpi/cohort"
	"github.com/kpiflow/kpi/cohort/clv"
)

func init() {
	register.Function3x0(genRecords)
	register.Function3x0(genTenantRecords)
	register.Function2x0(genSubscriptions)
	register.Function2x0(genTransactions)
	register.Function2x0(genTenantTransactions)
	register.Emitter1[cohort.Customer]()
	register.Emitter1[cohort.Revenue]()
	register.Emitter1[cohort.Subscription]()
	register.Emitter1[clv.Transaction]()
	register.Emitter2[string, cohort.Customer]()
	register.Emitter2[string, cohort.Revenue]()
	register.Emitter2[string, clv.Transaction]()
}

// cohortThrough is the last month of the generated cohort tables.
var cohortThrough = time.Date(2027, 12, 1, 0, 0, 0, 0, time.UTC)

// shardRecords calls the emitters with the records of shard sh: each
// entity is a customer acquired in 2026 and about nine months of revenue
// from its acquisition on, in cents, with gaps (churn and reactivation),
// expansions and contractions, in an order that mixes the customers; a
// few rows carry a time zone that moves their date into the next month.
func shardRecords(sh shard, customer func(cohort.Customer), revenue func(cohort.Revenue)) {
	rng := rand.New(rand.NewPCG(uint64(sh.ID), 17))
	east := time.FixedZone("UTC+14", 14*3600)
	var rows []cohort.Revenue
	for e := range sh.Entities {
		id := fmt.Sprintf("c-%d-%d", sh.ID, e)
		acq := acquired(sh.ID, e)
		customer(cohort.Customer{ID: id, Acquired: acq, Segment: channels[rng.IntN(len(channels))]})
		mrr := 100 + rng.Int64N(9900)
		month := 0
		for range perEntity - 1 {
			at := acq.AddDate(0, month, 0)
			if rng.IntN(20) == 0 {
				at = at.In(east)
			}
			rows = append(rows, cohort.Revenue{CustomerID: id, At: at, Amount: decimal.New(mrr*100+rng.Int64N(100), -2)})
			month += 1 + rng.IntN(2) // every other month or so a gap
			if rng.IntN(4) == 0 {
				mrr = max(1, mrr+rng.Int64N(2001)-1000)
			}
		}
	}
	rng.Shuffle(len(rows), func(i, j int) { rows[i], rows[j] = rows[j], rows[i] })
	for _, r := range rows {
		revenue(r)
	}
}

func genRecords(sh shard, customer func(cohort.Customer), revenue func(cohort.Revenue)) {
	shardRecords(sh, customer, revenue)
}

// genTenantRecords keys shard sh's records by tenant, as genTenantEvents
// does events.
func genTenantRecords(sh shard, customer func(string, cohort.Customer), revenue func(string, cohort.Revenue)) {
	tenant := fmt.Sprintf("tenant-%d", sh.ID%3)
	local := shard{ID: sh.ID / 3, Entities: sh.Entities}
	shardRecords(local, func(c cohort.Customer) { customer(tenant, c) }, func(r cohort.Revenue) { revenue(tenant, r) })
}

// acquired is the acquisition time of entity e of shard id: an hour of
// 2026 drawn by a hash.
func acquired(id, e int) time.Time {
	h := (uint64(id)*1_000_003 + uint64(e)*7919) * 0x9e3779b97f4a7c15
	return genBase.Add(time.Duration(h>>40%(365*24)) * time.Hour)
}

// shardSubscriptions calls emit with a subscription for every fifth
// entity of shard sh, from its acquisition, ending within a year or open.
func shardSubscriptions(sh shard, emit func(cohort.Subscription)) {
	for e := 0; e < sh.Entities; e += 5 {
		acq := acquired(sh.ID, e)
		s := cohort.Subscription{CustomerID: fmt.Sprintf("c-%d-%d", sh.ID, e), Start: acq, Amount: decimal.New(int64(e%7+1)*1999, -2)}
		if e%10 == 0 {
			s.End = acq.AddDate(0, e%12, 0)
		}
		emit(s)
	}
}

func genSubscriptions(sh shard, emit func(cohort.Subscription)) { shardSubscriptions(sh, emit) }

// The calibration and holdout of the generated transactions, in weeks.
var (
	rfmSplit = time.Date(2026, 9, 30, 0, 0, 0, 0, time.UTC)
	rfmEnd   = time.Date(2026, 12, 31, 0, 0, 0, 0, time.UTC)
	rfmUnit  = 7 * 24 * time.Hour
)

// shardTransactions calls emit with the transactions of shard sh: each
// entity a customer with one to eighteen orders over 2026, some on the
// same day, in cents, shuffled.
func shardTransactions(sh shard, emit func(clv.Transaction)) {
	rng := rand.New(rand.NewPCG(uint64(sh.ID), 23))
	var txs []clv.Transaction
	for e := range sh.Entities {
		id := fmt.Sprintf("c-%d-%d", sh.ID, e)
		at := genBase.Add(time.Duration(rng.IntN(300*24)) * time.Hour)
		for range 1 + rng.IntN(2*perEntity-2) {
			txs = append(txs, clv.Transaction{CustomerID: id, At: at, Amount: decimal.New(rng.Int64N(50_000), -2)})
			at = at.Add(time.Duration(rng.IntN(30*24)) * time.Hour)
		}
	}
	rng.Shuffle(len(txs), func(i, j int) { txs[i], txs[j] = txs[j], txs[i] })
	for _, t := range txs {
		emit(t)
	}
}

func genTransactions(sh shard, emit func(clv.Transaction)) { shardTransactions(sh, emit) }

func genTenantTransactions(sh shard, emit func(string, clv.Transaction)) {
	tenant := fmt.Sprintf("tenant-%d", sh.ID%3)
	shardTransactions(shard{ID: sh.ID / 3, Entities: sh.Entities}, func(t clv.Transaction) { emit(tenant, t) })
}
