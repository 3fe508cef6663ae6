# Reference outputs for impactkit.outcomes (count models of events and care before / during / after).
# Run from the repository root:  Rscript tests/results/outcomes/reference.R
# R 4.2.2, lme4 1.1-31, glmmTMB 1.1.5, geepack 1.3.9, MASS 7.3-58.2 (Debian bookworm).
# Writes, next to this script:
#   synthetic_counts.csv  a seeded cohort: family x phase x outcome, count, exposure_years (made here)
#   epil_counts.csv       MASS::epil as before (8-week baseline) / during (sum of the 4 two-week periods)
#   ref_glmm.csv          random-intercept count GLMMs with offset(log(exposure_years)):
#                           poisson_laplace   glmmTMB(family = poisson)            (Laplace)
#                           poisson_lme4_1    lme4::glmer(family = poisson, nAGQ = 1)  (Laplace)
#                           poisson_agq10     lme4::glmer(family = poisson, nAGQ = 10) (adaptive GH)
#                           poisson_agq25     lme4::glmer(family = poisson, nAGQ = 25) (lme4's maximum)
#                           negbin_laplace    glmmTMB(family = nbinom2)           (Laplace)
#                           negbin_exact      the exact marginal likelihood, integrated per family by
#                                             stats::integrate and maximised by nlminb: an independent
#                                             check of adaptive quadrature with many nodes
#                         terms: (Intercept), phaseduring, phaseafter, contrast after-during (L b, sqrt(L V L')),
#                         sd_family, theta (nbinom2 size), loglik; se for the fixed terms
#   ref_gee.csv           geepack::geeglm(count ~ phase + offset(log(exposure_years)), family = poisson,
#                         corstr = "exchangeable" / "independence"): estimate, robust se, alpha
#   ref_exact.csv         poisson.test(c(x_phase, x_before), c(t_phase, t_before)): rate ratio, exact CI, p
suppressPackageStartupMessages({ library(lme4); library(glmmTMB); library(geepack); library(MASS) })
here <- "tests/results/outcomes"

# ------------------------------------------------------------------ data
set.seed(20250114)
n <- 150
fam <- sprintf("G%03d", seq_len(n))
b <- rnorm(n, 0, 0.8)
has_before <- runif(n) < 0.9
t_before <- ifelse(runif(n) < 0.75, 1, runif(n, 0.25, 1))     # coverage cuts some pre-periods short
t_during <- runif(n, 0.3, 2.2)
has_after <- runif(n) < 0.6                                      # the rest are still in support
t_after <- runif(n, 0.1, 1)
spec <- list(  # outcome, base rate per year, RR during, RR after, NB size (Inf = Poisson)
  list("nuisance_report", 1.2, 0.7, 0.45, 2),
  list("crisis_contact", 0.4, 0.8, 0.5, Inf),
  list("social_work", 6, 1.3, 0.6, 1.5))
rows <- list()
for (s in spec) {
  for (ph in c("before", "during", "after")) {
    keep <- switch(ph, before = has_before, during = rep(TRUE, n), after = has_after)
    t <- switch(ph, before = t_before, during = t_during, after = t_after)
    rr <- switch(ph, before = 1, during = s[[3]], after = s[[4]])
    mu <- s[[2]] * rr * t * exp(b)
    y <- if (is.finite(s[[5]])) rnbinom(n, size = s[[5]], mu = mu) else rpois(n, mu)
    rows[[length(rows) + 1]] <- data.frame(family_id = fam, phase = ph, outcome = s[[1]], count = y,
                                           exposure_years = round(t, 6))[keep, ]
  }
}
syn <- do.call(rbind, rows)
syn <- syn[order(syn$outcome, syn$family_id, match(syn$phase, c("before", "during", "after"))), ]
write.csv(syn, file.path(here, "synthetic_counts.csv"), row.names = FALSE)

data(epil, package = "MASS")
during <- aggregate(y ~ subject, data = epil, FUN = sum)
base <- epil[epil$period == 1, c("subject", "base", "trt")]
weeks8 <- round(56 / 365.25, 10)
ep <- rbind(data.frame(family_id = sprintf("E%02d", base$subject), phase = "before", outcome = "seizures",
                       count = base$base, exposure_years = weeks8),
            data.frame(family_id = sprintf("E%02d", during$subject), phase = "during", outcome = "seizures",
                       count = during$y, exposure_years = weeks8))
ep <- ep[order(ep$family_id, match(ep$phase, c("before", "during"))), ]
write.csv(ep, file.path(here, "epil_counts.csv"), row.names = FALSE)

# ------------------------------------------------------------------ fits
glmm <- list(); gee <- list(); exact <- list()
prep <- function(d) {
  d$phase <- factor(d$phase, levels = intersect(c("before", "during", "after"), unique(d$phase)))
  d$family_id <- factor(d$family_id)
  d
}
fixed_rows <- function(b, V, dataset, outcome, model) {
  out <- data.frame(dataset, outcome, model, term = names(b), estimate = unname(b), se = sqrt(diag(V)))
  if (all(c("phaseduring", "phaseafter") %in% names(b))) {
    L <- setNames(rep(0, length(b)), names(b)); L["phaseafter"] <- 1; L["phaseduring"] <- -1
    out <- rbind(out, data.frame(dataset, outcome, model, term = "after-during", estimate = sum(L * b),
                                 se = sqrt(drop(L %*% V %*% L))))
  }
  out
}
extra <- function(dataset, outcome, model, sd, theta, ll) {
  data.frame(dataset, outcome, model, term = c("sd_family", "theta", "loglik"),
             estimate = c(sd, theta, ll), se = NA)
}
tmb_ctrl <- glmmTMBControl(optCtrl = list(iter.max = 1e4, eval.max = 1e4, rel.tol = 1e-14, x.tol = 1e-12))
lme_ctrl <- glmerControl(optimizer = "nloptwrap", tolPwrss = 1e-12, optCtrl = list(xtol_abs = 1e-12, ftol_abs = 1e-14,
                         xtol_rel = 1e-12, maxeval = 1e5), check.conv.singular = "ignore")

# the exact marginal likelihood of the NB2 random-intercept model (no quadrature rule): integrate per family
nb_exact <- function(d) {
  X <- model.matrix(~ phase, d); off <- log(d$exposure_years); y <- d$count
  idx <- split(seq_len(nrow(d)), d$family_id)
  nll <- function(par) {
    p <- ncol(X); beta <- par[1:p]; s <- exp(par[p + 1]); th <- exp(par[p + 2])
    eta0 <- drop(X %*% beta) + off
    -sum(vapply(idx, function(r) {
      f <- function(u) vapply(u, function(ui) exp(sum(dnbinom(y[r], size = th, mu = exp(eta0[r] + s * ui),
                                                              log = TRUE)) + dnorm(ui, log = TRUE)), 0)
      # centre the integral at the mode of the integrand so integrate() sees the mass
      m <- optimize(function(u) -log(f(u)), c(-8, 8))$minimum
      log(integrate(f, m - 12, m + 12, rel.tol = 1e-12, abs.tol = 0, subdivisions = 500L)$value)
    }, 0))
  }
  start <- c(unname(coef(glm.nb(count ~ phase + offset(log(exposure_years)), data = d))), log(0.5), log(1))
  fit <- nlminb(start, nll, control = list(rel.tol = 1e-13, x.tol = 1e-12, eval.max = 5000, iter.max = 2000))
  H <- optimHess(fit$par, nll)
  list(par = fit$par, V = solve(H), ll = -fit$objective, p = ncol(X), names = colnames(X))
}

fit_all <- function(d, dataset, outcome, with_exact_nb = TRUE) {
  d <- prep(d)
  f <- count ~ phase + offset(log(exposure_years)) + (1 | family_id)
  m <- glmmTMB(f, data = d, family = poisson, control = tmb_ctrl)
  glmm[[length(glmm) + 1]] <<- rbind(fixed_rows(fixef(m)$cond, vcov(m)$cond, dataset, outcome, "poisson_laplace"),
    extra(dataset, outcome, "poisson_laplace", attr(VarCorr(m)$cond[[1]], "stddev"), NA, as.numeric(logLik(m))))
  for (q in c(1, 10, 25)) {
    m <- glmer(f, data = d, family = poisson, nAGQ = q, control = lme_ctrl)
    name <- if (q == 1) "poisson_lme4_1" else paste0("poisson_agq", q)
    glmm[[length(glmm) + 1]] <<- rbind(fixed_rows(fixef(m), as.matrix(vcov(m)), dataset, outcome, name),
      extra(dataset, outcome, name, attr(VarCorr(m)[[1]], "stddev"), NA, as.numeric(logLik(m))))
  }
  m <- glmmTMB(f, data = d, family = nbinom2, control = tmb_ctrl)
  glmm[[length(glmm) + 1]] <<- rbind(fixed_rows(fixef(m)$cond, vcov(m)$cond, dataset, outcome, "negbin_laplace"),
    extra(dataset, outcome, "negbin_laplace", attr(VarCorr(m)$cond[[1]], "stddev"), sigma(m),
          as.numeric(logLik(m))))
  if (with_exact_nb) {
    e <- nb_exact(d)
    b <- setNames(e$par[1:e$p], e$names)
    glmm[[length(glmm) + 1]] <<- rbind(fixed_rows(b, e$V[1:e$p, 1:e$p], dataset, outcome, "negbin_exact"),
      extra(dataset, outcome, "negbin_exact", exp(e$par[e$p + 1]), exp(e$par[e$p + 2]), e$ll))
  }
  dg <- d[order(d$family_id, d$phase), ]
  dg$id <- as.integer(dg$family_id)
  for (cs in c("exchangeable", "independence")) {
    g <- geeglm(count ~ phase + offset(log(exposure_years)), id = id, data = dg, family = poisson, corstr = cs)
    b <- coef(g); V <- vcov(g)
    alpha <- if (cs == "exchangeable") summary(g)$corr$Estimate else 0
    gee[[length(gee) + 1]] <<- rbind(fixed_rows(b, V, dataset, outcome, cs),
      data.frame(dataset, outcome, model = cs, term = c("alpha", "scale"),
                 estimate = c(alpha, summary(g)$dispersion$Estimate), se = NA))
  }
  tot <- aggregate(cbind(count, exposure_years) ~ phase, data = d, FUN = sum)
  ref <- tot[tot$phase == levels(d$phase)[1], ]
  for (ph in levels(d$phase)[-1]) {
    x <- tot[tot$phase == ph, ]
    r <- poisson.test(c(x$count, ref$count), c(x$exposure_years, ref$exposure_years))
    exact[[length(exact) + 1]] <<- data.frame(dataset, outcome, phase = ph, reference = levels(d$phase)[1],
      count = x$count, exposure = x$exposure_years, ref_count = ref$count, ref_exposure = ref$exposure_years,
      rate_ratio = unname(r$estimate), ci_low = r$conf.int[1], ci_high = r$conf.int[2], p_value = r$p.value)
  }
}

for (o in unique(syn$outcome)) fit_all(syn[syn$outcome == o, ], "synthetic", o)
fit_all(ep, "epil", "seizures")

# a 5-family project: nuisance reports in the 12 months before and none after support started
small <- data.frame(family_id = rep(sprintf("B%d", 1:5), each = 2), phase = rep(c("before", "after"), 5),
                    outcome = "nuisance_report", count = c(3, 0, 1, 0, 4, 0, 2, 0, 0, 0),
                    exposure_years = c(1, 0.5, 1, 0.75, 1, 0.4, 1, 1, 1, 0.6))
write.csv(small, file.path(here, "small_counts.csv"), row.names = FALSE)
r <- poisson.test(c(0, 10), c(3.25, 5))
exact[[length(exact) + 1]] <- data.frame(dataset = "small", outcome = "nuisance_report", phase = "after",
  reference = "before", count = 0, exposure = 3.25, ref_count = 10, ref_exposure = 5,
  rate_ratio = unname(r$estimate), ci_low = r$conf.int[1], ci_high = r$conf.int[2], p_value = r$p.value)

w <- function(x, f) write.csv(do.call(rbind, x), file.path(here, f), row.names = FALSE)
w(glmm, "ref_glmm.csv"); w(gee, "ref_gee.csv"); w(exact, "ref_exact.csv")
cat(sprintf("%s\n", R.version.string), sprintf("lme4 %s glmmTMB %s geepack %s MASS %s\n", packageVersion("lme4"),
    packageVersion("glmmTMB"), packageVersion("geepack"), packageVersion("MASS")))
