// Package kpi is the root of a library for B2B marketing KPI and funnel
// math.
//
// TODO(overview) is written below in full.
package kpi
