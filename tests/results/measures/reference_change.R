# Reference values for impactkit.measures.change (R 4.2, base stats only).
# Run from this directory: Rscript reference_change.R  -> change_<dataset>.csv
#   t.test(y, x, paired = TRUE); wilcox.test(y, x, paired = TRUE) with R's defaults and with
#   exact = FALSE / correct = FALSE; d_z, d_av and Hedges' g_av as in Lakens (2013), written out;
#   the d_z interval by inverting pt(t, df, ncp) with uniroot; p.adjust("holm"), p.adjust("BH").
#   Also (issue 17/12): V- and the number of zero differences, medians and counts, Hedges' exact J
#   (gamma form, Hedges 1981), the exact sign test (binom.test), the exact signed-rank p conditional on
#   ties and zeros by enumerating all 2^n sign assignments (n < 16), Holm across domains x comparisons
#   (p_holm_all) and Holm of the Wilcoxon p-values (wilcoxon_holm, wilcoxon_holm_all); and
#   change_small.csv: eight families of the sample (small_long.csv), every wave pair.
options(digits = 17)

read_long <- function(file) {
  d <- read.csv(file, stringsAsFactors = FALSE)
  d
}
sample_long <- function() {
  w <- read.csv("../../../data/sample/assessments.csv", stringsAsFactors = FALSE)
  doms <- setdiff(names(w), c("family_id", "wave", "assessed_on"))
  do.call(rbind, lapply(doms, function(dm) data.frame(family_id = w$family_id, wave = w$wave,
                                                       domain = dm, score = w[[dm]])))
}

pairs_of <- function(d, dom, b, f) {
  x <- d[d$domain == dom & d$wave == b & !is.na(d$score), c("family_id", "score")]
  y <- d[d$domain == dom & d$wave == f & !is.na(d$score), c("family_id", "score")]
  m <- merge(x, y, by = "family_id", suffixes = c("_b", "_f"))
  list(x = m$score_b, y = m$score_f)
}

dz_ci <- function(t, df, n, level = 0.95) {
  a <- (1 - level) / 2
  lo <- uniroot(function(nc) pt(t, df, nc, lower.tail = FALSE) - a, c(t - 10 - 2 * abs(t), t + 10 + 2 * abs(t)),
                tol = 1e-13)$root
  hi <- uniroot(function(nc) pt(t, df, nc, lower.tail = FALSE) - (1 - a), c(t - 10 - 2 * abs(t), t + 10 + 2 * abs(t)),
                tol = 1e-13)$root
  c(lo, hi) / sqrt(n)
}

one <- function(d, dom, b, f) {
  p <- pairs_of(d, dom, b, f)
  x <- p$x; y <- p$y; n <- length(x)
  tt <- t.test(y, x, paired = TRUE)
  w <- suppressWarnings(wilcox.test(y, x, paired = TRUE))
  w_nc <- suppressWarnings(wilcox.test(y, x, paired = TRUE, exact = FALSE, correct = FALSE))
  dd <- y - x
  dz <- mean(dd) / sd(dd)
  dav <- mean(dd) / ((sd(x) + sd(y)) / 2)
  J <- 1 - 3 / (4 * (n - 1) - 1)
  ci <- dz_ci(unname(tt$statistic), n - 1, n)
  nz <- dd[dd != 0]
  r <- rank(abs(nz))
  vplus <- sum(r[nz > 0]); vminus <- sum(r[nz < 0])
  J_exact <- gamma((n - 1) / 2) / (sqrt((n - 1) / 2) * gamma((n - 2) / 2))
  n_pos <- sum(dd > 0); n_neg <- sum(dd < 0)
  sign_p <- if (n_pos + n_neg > 0) binom.test(n_pos, n_pos + n_neg)$p.value else NA
  exact_cond <- NA
  if (length(nz) > 0 && length(nz) < 16) {  # all 2^n sign assignments of the average ranks
    signs <- as.matrix(expand.grid(rep(list(c(0, 1)), length(nz))))
    null <- drop(signs %*% r)
    exact_cond <- min(1, 2 * min(mean(null <= vplus + 1e-9), mean(null >= vplus - 1e-9)))
  }
  data.frame(domain = dom, baseline = b, followup = f, n = n, mean_baseline = mean(x), mean_followup = mean(y),
             mean_diff = unname(tt$estimate), ci_low = tt$conf.int[1], ci_high = tt$conf.int[2],
             t = unname(tt$statistic), df = unname(tt$parameter), p_value = tt$p.value,
             wilcoxon_v = unname(w$statistic), wilcoxon_p = w$p.value, wilcoxon_p_nocorrect_normal = w_nc$p.value,
             cohen_dz = dz, cohen_dav = dav, hedges_gav = dav * J,
             rank_biserial = (vplus - vminus) / (vplus + vminus),
             share_improved = mean(dd > 0), share_unchanged = mean(dd == 0), share_worse = mean(dd < 0),
             dz_ci_low = ci[1], dz_ci_high = ci[2],
             wilcoxon_v_minus = vminus, n_zero = sum(dd == 0), hedges_gav_exact = dav * J_exact,
             median_baseline = median(x), median_followup = median(y), median_diff = median(dd),
             n_improved = n_pos, n_unchanged = sum(dd == 0), n_worse = n_neg, sign_test_p = sign_p,
             wilcoxon_p_exact_conditional = exact_cond)
}

run <- function(d, waves, name) {
  doms <- unique(d$domain)
  out <- list()
  for (k in seq_len(length(waves) - 1)) for (l in (k + 1):length(waves)) {
    tab <- do.call(rbind, lapply(doms, function(dm) one(d, dm, waves[k], waves[l])))
    tab$p_holm <- p.adjust(tab$p_value, "holm")
    tab$p_bh <- p.adjust(tab$p_value, "BH")
    tab$wilcoxon_holm <- p.adjust(tab$wilcoxon_p, "holm")
    out[[length(out) + 1]] <- tab
  }
  res <- do.call(rbind, out)
  res$p_holm_all <- p.adjust(res$p_value, "holm")
  res$wilcoxon_holm_all <- p.adjust(res$wilcoxon_p, "holm")
  write.csv(res, sprintf("change_%s.csv", name), row.names = FALSE)
}

w3 <- c("intake", "year1", "year2")
run(read_long("long_ordinal.csv"), w3, "ordinal")
run(read_long("long_continuous.csv"), w3, "continuous")
run(read_long("sleep.csv"), c("drug1", "drug2"), "sleep")
run(sample_long(), w3, "sample")

s <- sample_long()
small <- s[s$family_id %in% sort(unique(s$family_id))[1:8], ]
write.csv(small, "small_long.csv", row.names = FALSE)
run(small, w3, "small")
