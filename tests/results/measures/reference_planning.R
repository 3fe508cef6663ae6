# Reference values for impactkit.power_paired (R 4.2, stats::power.t.test(type = "paired")).
# Run from this directory: Rscript reference_planning.R  -> power_t.csv
# tol = 1e-12 for the solved quantities (R's default tolerance, eps^0.25, is too loose to compare).
options(digits = 17)
rows <- list()
add <- function(...) {
  a <- list(...)
  r <- do.call(power.t.test, c(a, list(type = "paired", tol = 1e-12)))
  rows[[length(rows) + 1]] <<- data.frame(n = r$n, delta = r$delta, sd = r$sd, sig.level = r$sig.level,
    power = r$power, alternative = r$alternative, strict = isTRUE(a$strict),
    solved = setdiff(c("n", "delta", "power"), names(a))[1])
}
add(n = 30, delta = 0.5, sd = 1)
add(n = 12, delta = 0.8, sd = 1.3, strict = TRUE)
add(n = 250, delta = 0.1, sd = 0.82, sig.level = 0.01)
add(n = 40, delta = 0.3, sd = 1, alternative = "one.sided")
add(delta = 0.3, sd = 1, power = 0.8)
add(delta = 0.25, sd = 0.69, power = 0.9, sig.level = 0.01)
add(delta = 1.2, sd = 1, power = 0.8)          # a small n, near the lower bound 2
add(n = 30, sd = 1, power = 0.9)
add(n = 350, sd = 0.82, power = 0.8)
add(n = 8, sd = 1.1, power = 0.8, alternative = "one.sided")
# the mixed-model simulation checks: balanced complete data, 2 and 3 waves (noncentral t with
# df = (n - 1)(T - 1) and SE sqrt(2 sigma^2 / n), the RM-ANOVA error stratum)
ncp_power <- function(n, delta, s2, T) { df <- (n - 1) * (T - 1); ncp <- delta / sqrt(2 * s2 / n)
  q <- qt(0.975, df); pt(q, df, ncp, lower.tail = FALSE) + pt(-q, df, ncp) }
rows[[length(rows) + 1]] <- data.frame(n = 60, delta = 0.4, sd = sqrt(2 * 0.5), sig.level = 0.05,
  power = ncp_power(60, 0.4, 0.5, 2), alternative = "two.sided", strict = TRUE, solved = "lmm_2waves")
rows[[length(rows) + 1]] <- data.frame(n = 40, delta = 0.4, sd = sqrt(2 * 0.5), sig.level = 0.05,
  power = ncp_power(40, 0.4, 0.5, 3), alternative = "two.sided", strict = TRUE, solved = "lmm_3waves")
# the two-group simulation checks (comparison group): the difference in change between groups of
# n1 and n2 families, balanced complete data: SE sqrt(2 sigma^2 (1/n1 + 1/n2)), df = (n1 + n2 - 2)(T - 1);
# with T = 2 this is power.t.test(type = "two.sample") on the change scores
ncp_power2 <- function(n1, n2, delta, s2, T) { df <- (n1 + n2 - 2) * (T - 1)
  ncp <- delta / sqrt(2 * s2 * (1 / n1 + 1 / n2)); q <- qt(0.975, df); pt(q, df, ncp, lower.tail = FALSE) + pt(-q, df, ncp) }
tt <- power.t.test(n = 50, delta = 0.4, sd = sqrt(2 * 0.5), type = "two.sample", strict = TRUE, tol = 1e-12)
stopifnot(abs(tt$power - ncp_power2(50, 50, 0.4, 0.5, 2)) < 1e-10)
rows[[length(rows) + 1]] <- data.frame(n = 50, delta = 0.4, sd = sqrt(2 * 0.5), sig.level = 0.05,
  power = tt$power, alternative = "two.sided", strict = TRUE, solved = "lmm_groups_2waves")
rows[[length(rows) + 1]] <- data.frame(n = 60, delta = 0.35, sd = sqrt(2 * 0.5), sig.level = 0.05,
  power = ncp_power2(60, 40, 0.35, 0.5, 3), alternative = "two.sided", strict = TRUE, solved = "lmm_groups_3waves_60_40")
write.csv(do.call(rbind, rows), "power_t.csv", row.names = FALSE)
