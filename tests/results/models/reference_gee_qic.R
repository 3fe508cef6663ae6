# Reference values for the fit statistics of impactkit.gee: geepack::QIC (QIC, QICu, quasi-likelihood,
# CIC; Pan 2001) of geeglm(score ~ wave, corstr = "exchangeable", family = gaussian) per domain of the
# synthetic cohort and of the sample. GEE has no likelihood: no logLik, AIC or BIC.
# Run from the repository root:  Rscript tests/results/models/reference_gee_qic.R  -> gee_qic.csv
# R 4.2.2, geepack 1.3.9.
suppressPackageStartupMessages(library(geepack))
out <- list()
one <- function(d, dataset, domain) {
  d <- d[order(d$family_id, d$wave), ]
  d$id <- as.integer(factor(d$family_id))
  m <- geeglm(score ~ wave, id = id, data = d, corstr = "exchangeable", family = gaussian)
  q <- QIC(m)
  out[[length(out) + 1]] <<- data.frame(dataset, domain, qic = q[["QIC"]], qicu = q[["QICu"]],
                                        quasi_loglik = q[["Quasi Lik"]], cic = q[["CIC"]], n_par = q[["params"]])
}
syn <- read.csv("tests/results/mixed/synthetic_cohort.csv")
syn <- syn[!is.na(syn$score), ]
syn$wave <- factor(syn$wave, levels = c("intake", "year1", "year2"))
for (dom in unique(syn$domain)) one(syn[syn$domain == dom, ], "synthetic", dom)
w <- read.csv("tests/results/mixed/sample_assessments.csv")
for (dom in setdiff(names(w), c("family_id", "wave", "assessed_on"))) {
  d <- data.frame(family_id = w$family_id, wave = factor(w$wave, levels = c("intake", "year1", "year2")),
                  score = w[[dom]])
  one(d[!is.na(d$score), ], "sample", dom)
}
write.csv(do.call(rbind, out), "tests/results/models/gee_qic.csv", row.names = FALSE)
